import type { Lang } from '../i18n';
import { translate } from '../i18n';

/** Builds the popup content with DOM nodes (never innerHTML: names come from imported files). */
export function featurePopupContent(lang: Lang, layer: 'area' | 'site', p: Record<string, unknown>): HTMLElement {
  const t = (k: Parameters<typeof translate>[1]) => translate(lang, k);
  const root = document.createElement('div');
  root.className = 'popup';
  const title = document.createElement('h3');
  title.textContent = String(p.name ?? '');
  const list = document.createElement('dl');
  const add = (label: string, value: unknown) => {
    if (value === undefined || value === null || value === '') return;
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = String(value);
    list.append(dt, dd);
  };
  if (layer === 'area') {
    add(t('kind'), p.kind);
    const ha = Number(p.areaHa);
    if (Number.isFinite(ha)) add(t('area'), `${Math.round(ha).toLocaleString(lang)} ${t('hectares')}`);
  } else {
    add(t('activity'), p.activityCode);
    add(t('priorityArea'), p.priorityArea);
    add(t('status'), p.status);
    add(t('kind'), p.kind);
  }
  root.append(title, list);
  return root;
}
