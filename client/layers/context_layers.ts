// Context layers: points of what others do nearby (e.g. GEF projects geocoded by AidData), drawn
// as hollow dark rings apart from the programme's filled sites, and described in a popup.
import type { ContextLayer } from '@atalaya/api';
import { formatDate, formatNumber } from '@atalaya/api';
import type { Lang, MessageKey } from '../i18n';
import { translate } from '../i18n';

export const CONTEXT_COLOR = '#212121';
export const contextGroup = (code: string) => `context_${code}`;
export const contextLayerId = (code: string) => `context-${code}`;
export const isContextGroup = (group: string) => group.startsWith('context_');

/** The layer's points, all of them (a context layer holds at most 20,000; the OGC page size is 10,000). */
export function contextItemsUrl(layer: ContextLayer): string {
  return `/ogc/collections/${encodeURIComponent(layer.collection)}/items?limit=10000`;
}

/** AidData's precision codes: how exactly the point is placed (1 exact … 4 a region's centre). */
const PRECISION: Record<string, MessageKey> = { '1': 'precisionExact', '2': 'precisionNear', '3': 'precisionDistrict', '4': 'precisionRegion' };

/** The popup of one point: its name, place, years, commitment and how exact its position is, then the source. */
export function contextPopup(lang: Lang, layer: ContextLayer | undefined, p: Record<string, unknown>): HTMLElement {
  const t = (k: MessageKey) => translate(lang, k);
  const root = document.createElement('div');
  root.className = 'context-popup';
  const title = document.createElement('strong');
  title.textContent = String(p.name ?? p.project_title ?? '');
  root.append(title);
  const date = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDate(lang, v) : undefined);
  const start = date(p.start_actual_isodate);
  const end = date(p.end_actual_isodate);
  const money = Number(p.total_commitments);
  const rows: [string, string | undefined][] = [
    [t('place'), typeof p.place_name === 'string' ? p.place_name : undefined],
    [t('period'), start || end ? `${start ?? '…'} – ${end ?? '…'}` : undefined],
    [t('commitment'), Number.isFinite(money) && money > 0 ? `US$ ${formatNumber(lang, Math.round(money))}` : undefined],
    [t('locationPrecision'), typeof p.precision_code === 'string' && PRECISION[p.precision_code] ? t(PRECISION[p.precision_code]!) : undefined],
  ];
  const dl = document.createElement('dl');
  for (const [k, v] of rows) {
    if (!v) continue;
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  root.append(dl);
  if (layer) {
    const src = document.createElement('p');
    src.className = 'layer-about';
    src.textContent = `${t('layerSource')}: ${layer.source} · ${t('layerLicence')}: ${layer.licence} · ${t('contextNotProgramme')}`;
    root.append(src);
  }
  return root;
}
