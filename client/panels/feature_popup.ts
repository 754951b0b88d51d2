import type { Lang } from '../i18n';
import { translate, translateCode } from '../i18n';

/** Builds the popup content with DOM nodes (never innerHTML: names come from imported files). */
export function featurePopupContent(lang: Lang, layer: 'area' | 'site', p: Record<string, unknown>, kindLabel: (code: string) => string = (c) => c): HTMLElement {
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
    add(t('kind'), kindLabel(String(p.kind ?? '')));
    const ha = Number(p.areaHa ?? p.area_ha); // areaHa from the API, area_ha from tiles and OGC items
    if (Number.isFinite(ha)) add(t('area'), `${Math.round(ha).toLocaleString(lang)} ${t('hectares')}`);
  } else {
    add(t('activity'), p.activityCode);
    add(t('priorityArea'), p.priorityArea);
    add(t('status'), translateCode(lang, String(p.status ?? '')));
    add(t('kind'), p.kind);
  }
  root.append(title, list);
  return root;
}

/** Appends a titled list (linked activities or areas) to a popup once it has loaded. */
export function appendLinkList(lang: Lang, root: HTMLElement, title: 'activitiesHere' | 'linkedAreas', items: { label: string; relation: 'inside' | 'overlaps' | 'within'; distanceM: number }[]): void {
  const t = (k: Parameters<typeof translate>[1]) => translate(lang, k);
  const h = document.createElement('h4');
  h.textContent = `${t(title)} (${items.length})`;
  const ul = document.createElement('ul');
  ul.className = 'link-list';
  for (const item of items.slice(0, 8)) {
    const li = document.createElement('li');
    const km = item.relation === 'within' ? ` · ${(item.distanceM / 1000).toLocaleString(lang, { maximumFractionDigits: 1 })} km` : '';
    li.textContent = `${item.label} — ${t(item.relation)}${km}`;
    ul.append(li);
  }
  if (items.length === 0) {
    const li = document.createElement('li');
    li.textContent = t('none');
    ul.append(li);
  } else if (items.length > 8) {
    const li = document.createElement('li');
    li.textContent = `… +${items.length - 8}`;
    ul.append(li);
  }
  root.append(h, ul);
}
