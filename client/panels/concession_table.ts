// The concession review table under the map: sorted, filtered and paged by the server; a row shows
// the concession on the map (with its loss chart); exports and the printable sheet are links.
import { apiPaths, formatNumber, formatHectares, formatShare, type ConcessionReviewItem, type ConcessionReviewPage } from '@atalaya/api';
import { concessionSheetUrl, fetchConcessionReview } from '../api/client';
import type { Lang } from '../i18n';
import { translate, translateCode } from '../i18n';

export type ReviewItem = ConcessionReviewItem;

export interface ReviewState {
  sort: string;
  order: 'asc' | 'desc';
  offset: number;
  type: string;
  region: string;
  flagged: boolean;
  /** The loss layer the figures come from (the one picked in the layer list); absent = the server's default. */
  layer?: string;
}

const PAGE = 25;
const columns: { key: string; label: Parameters<typeof translate>[1]; hint?: Parameters<typeof translate>[1]; text?: boolean; value: (r: ReviewItem, lang: Lang) => string }[] = [
  { key: 'name', label: 'colName', text: true, value: (r) => r.name },
  { key: 'type', label: 'colType', text: true, value: (r, l) => translateCode(l, r.type) },
  { key: 'region', label: 'colRegion', text: true, value: (r) => r.region },
  { key: 'forest2000_ha', label: 'colForest', value: (r, l) => num(r.forest2000_ha, l, 0) },
  { key: 'rate_before_pct', label: 'colBefore', value: (r, l) => num(r.rate_before_pct, l, 3) },
  { key: 'rate_during_pct', label: 'colDuring', value: (r, l) => num(r.rate_during_pct, l, 3) },
  { key: 'recent_trend', label: 'colTrend', hint: 'colTrendHint', value: (r, l) => num(r.recent_trend, l, 2) },
  { key: 'ring_rate_during_pct', label: 'colRing', value: (r, l) => num(r.ring_rate_during_pct, l, 3) },
  { key: 'percentile', label: 'colPercentile', value: (r, l) => num(r.percentile, l, 0) },
  { key: 'alerts_90d_px', label: 'colAlerts90', hint: 'colAlertsHint', value: (r, l) => (r.alerts_90d_px == null ? '—' : `${formatNumber(l, r.alerts_90d_px)} (${formatHectares(l, r.alerts_90d_ha ?? 0)})`) },
  { key: 'alerts_contract_px', label: 'colAlertsContract', hint: 'colAlertsHint', value: (r, l) => (r.alerts_contract_px == null ? '—' : `${formatNumber(l, r.alerts_contract_px)} (${formatHectares(l, r.alerts_contract_ha ?? 0)})`) },
  { key: 'covered_fraction', label: 'colCovered', value: (r, l) => (r.covered_fraction === null ? '—' : formatShare(l, r.covered_fraction)) },
];
const sortable = new Set(['name', 'forest2000_ha', 'rate_before_pct', 'rate_during_pct', 'recent_trend', 'ring_rate_during_pct', 'percentile']);

function num(v: number | null, lang: Lang, digits: number): string {
  return v === null ? '—' : formatNumber(lang, v, digits, digits > 0 ? Math.min(digits, 2) : 0);
}

function reviewParams(state: ReviewState, format?: 'csv' | 'geojson'): string {
  const q = new URLSearchParams({ sort: state.sort, order: state.order, limit: String(PAGE), offset: String(state.offset) });
  if (state.type) q.set('type', state.type);
  if (state.region) q.set('region', state.region);
  if (state.flagged) q.set('flagged', 'true');
  if (state.layer) q.set('layer', state.layer);
  if (format) {
    q.set('format', format);
    q.delete('limit');
    q.delete('offset');
  }
  return q.toString();
}

/** The review's address for this state: the page, or (with a format) every row for export. */
export function reviewQuery(state: ReviewState, format?: 'csv' | 'geojson'): string {
  return `${apiPaths.concessionReview}?${reviewParams(state, format)}`;
}

type Translate = (k: Parameters<typeof translate>[1]) => string;

/** Renders the panel into `root` and loads the page for `state`; `onShow` puts a row on the map. */
export async function renderConcessionTable(root: HTMLElement, lang: Lang, state: ReviewState, onShow: (item: ReviewItem) => void, signal?: AbortSignal): Promise<void> {
  const t: Translate = (k) => translate(lang, k);
  let page: ConcessionReviewPage;
  try {
    page = await fetchConcessionReview(reviewParams(state), signal);
  } catch (e) {
    root.textContent = `${t('loadFailed')} ${(e as Error).message}`;
    return;
  }
  const rerender = () => void renderConcessionTable(root, lang, state, onShow);
  const h = document.createElement('h2');
  h.textContent = t('review');
  const table = document.createElement('table');
  table.append(tableHead(t, state, rerender), tableBody(t, lang, page.items, state.layer, onShow));
  root.replaceChildren(h, layerLine(t, page.layer), filterBar(t, (code) => translateCode(lang, code), state, page.facets, rerender), table, pager(t, state, page.total, rerender));
}

/** Which rasters the figures come from, so a table read later or printed says it. */
function layerLine(t: Translate, layer: ConcessionReviewPage['layer']): HTMLElement {
  const p = document.createElement('p');
  p.className = 'review-layer';
  const forest = layer.treecover && layer.threshold !== null ? t('forestRule').replace('{threshold}', String(layer.threshold)).replace('{layer}', layer.treecover) : t('forestEveryPixel');
  p.textContent = `${t('figuresFrom')} ${layer.name}${layer.version ? ` (${layer.version})` : ''} · ${forest}`;
  return p;
}

/** Type and region choices, "only flagged", and the export links for the current filter. */
function filterBar(t: Translate, codeLabel: (code: string) => string, state: ReviewState, facets: ConcessionReviewPage['facets'], rerender: () => void): HTMLElement {
  const filters = document.createElement('div');
  filters.className = 'filters';
  const select = (label: string, options: string[], value: string, set: (v: string) => void, name: string, optionLabel: (v: string) => string = (v) => v) => {
    const s = document.createElement('select');
    s.setAttribute('aria-label', label);
    s.dataset.filter = name;
    for (const [v, l] of [['', label], ...options.map((o) => [o, optionLabel(o)])] as [string, string][]) {
      const o = document.createElement('option');
      o.value = v;
      o.textContent = l;
      o.selected = v === value;
      s.append(o);
    }
    s.addEventListener('change', () => {
      set(s.value);
      state.offset = 0;
      rerender();
    });
    return s;
  };
  const flagged = document.createElement('label');
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = state.flagged;
  box.dataset.filter = 'flagged';
  box.addEventListener('change', () => {
    state.flagged = box.checked;
    state.offset = 0;
    rerender();
  });
  flagged.append(box, ` ${t('onlyFlagged')}`);
  const csv = document.createElement('a');
  csv.href = reviewQuery(state, 'csv');
  csv.textContent = t('exportCsv');
  const geo = document.createElement('a');
  geo.href = reviewQuery(state, 'geojson');
  geo.textContent = t('exportGeojson');
  filters.append(
    select(t('allTypes'), facets.types, state.type, (v) => (state.type = v), 'type', codeLabel),
    select(t('allRegions'), facets.regions, state.region, (v) => (state.region = v), 'region'),
    flagged,
    csv,
    geo,
  );
  return filters;
}

/** Column headers; sortable ones are buttons that sort (again: reverse). */
function tableHead(t: Translate, state: ReviewState, rerender: () => void): HTMLElement {
  const head = document.createElement('tr');
  for (const c of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    if (c.text) th.className = 'text';
    if (c.hint) th.title = t(c.hint);
    if (sortable.has(c.key)) {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.sort = c.key;
      b.textContent = `${t(c.label)}${state.sort === c.key ? (state.order === 'desc' ? ' ▼' : ' ▲') : ''}`;
      if (state.sort === c.key) th.setAttribute('aria-sort', state.order === 'desc' ? 'descending' : 'ascending');
      b.addEventListener('click', () => {
        state.order = state.sort === c.key && state.order === 'desc' ? 'asc' : 'desc';
        state.sort = c.key;
        state.offset = 0;
        rerender();
      });
      th.append(b);
    } else th.textContent = t(c.label);
    head.append(th);
  }
  for (const label of ['colFlag', 'colReview', 'colSheet'] as const) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.className = 'text';
    th.textContent = t(label);
    head.append(th);
  }
  const thead = document.createElement('thead');
  thead.append(head);
  return thead;
}

function tableBody(t: Translate, lang: Lang, items: ReviewItem[], layer: string | undefined, onShow: (item: ReviewItem) => void): HTMLElement {
  const tbody = document.createElement('tbody');
  for (const item of items) tbody.append(reviewRow(t, lang, item, layer, onShow));
  return tbody;
}

/** One concession: its figures, flag (with the reason as a tooltip), review status and sheet link; a click shows it on the map. */
function reviewRow(t: Translate, lang: Lang, item: ReviewItem, layer: string | undefined, onShow: (item: ReviewItem) => void): HTMLElement {
  const tr = document.createElement('tr');
  tr.tabIndex = 0;
  tr.dataset.id = String(item.id);
  if (item.flagged) tr.className = 'flagged';
  // A concession without figures (outside the loss layer, no forest in 2000) says "no data" and why,
  // never a 0 that would rank it among the best.
  const noData = lang === 'es' ? item.no_data_es : item.no_data_en;
  if (noData) tr.classList.add('no-data');
  for (const c of columns) {
    const td = document.createElement('td');
    if (c.text) td.className = 'text';
    const value = c.value(item, lang);
    if (noData && value === '—') {
      td.textContent = t('no_data');
      td.title = noData;
      td.classList.add('no-data');
    } else td.textContent = value;
    tr.append(td);
  }
  const flag = document.createElement('td');
  flag.className = 'text flag';
  flag.textContent = item.flagged ? '⚑' : '';
  if (item.flagged) flag.title = lang === 'es' ? item.reason_es : item.reason_en;
  const review = document.createElement('td');
  review.className = 'text';
  review.textContent = item.reviewed ? translateCode(lang, item.supervision_status) : '—';
  const sheet = document.createElement('td');
  sheet.className = 'text';
  const a = document.createElement('a');
  a.href = concessionSheetUrl(item.id, lang, layer);
  a.target = '_blank';
  a.textContent = t('colSheet');
  a.addEventListener('click', (e) => e.stopPropagation());
  sheet.append(a);
  tr.append(flag, review, sheet);
  const show = () => onShow(item);
  tr.addEventListener('click', show);
  tr.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') show();
  });
  return tr;
}

function pager(t: Translate, state: ReviewState, total: number, rerender: () => void): HTMLElement {
  const div = document.createElement('div');
  div.className = 'pager';
  const prev = document.createElement('button');
  prev.type = 'button';
  prev.textContent = t('previous');
  prev.disabled = state.offset === 0;
  prev.addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - PAGE);
    rerender();
  });
  const next = document.createElement('button');
  next.type = 'button';
  next.textContent = t('next');
  next.disabled = state.offset + PAGE >= total;
  next.addEventListener('click', () => {
    state.offset += PAGE;
    rerender();
  });
  const info = document.createElement('span');
  info.className = 'rows';
  info.textContent = t('rowsOf').replace('{from}', String(total ? state.offset + 1 : 0)).replace('{to}', String(Math.min(total, state.offset + PAGE))).replace('{total}', String(total));
  div.append(prev, info, next);
  return div;
}
