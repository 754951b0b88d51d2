// The concession review table under the map: sorted, filtered and paged by the server; a row shows
// the concession on the map (with its loss chart); exports and the printable sheet are links.
import type { Lang } from '../i18n';
import { translate } from '../i18n';

export interface ReviewItem {
  id: number;
  name: string;
  type: string;
  region: string;
  status: string;
  forest2000_ha: number | null;
  rate_before_pct: number | null;
  rate_during_pct: number | null;
  recent_trend: number | null;
  ring_rate_during_pct: number | null;
  percentile: number | null;
  flagged: boolean;
  reason_en: string;
  reason_es: string;
  supervision_status: string;
  reviewed: boolean;
  bbox: [number, number, number, number];
}

interface ReviewPage {
  total: number;
  items: ReviewItem[];
  facets: { types: string[]; regions: string[] };
}

export interface ReviewState {
  sort: string;
  order: 'asc' | 'desc';
  offset: number;
  type: string;
  region: string;
  flagged: boolean;
}

const PAGE = 25;
const columns: { key: string; label: Parameters<typeof translate>[1]; text?: boolean; value: (r: ReviewItem, lang: Lang) => string }[] = [
  { key: 'name', label: 'colName', text: true, value: (r) => r.name },
  { key: 'type', label: 'colType', text: true, value: (r) => r.type },
  { key: 'region', label: 'colRegion', text: true, value: (r) => r.region },
  { key: 'forest2000_ha', label: 'colForest', value: (r, l) => num(r.forest2000_ha, l, 0) },
  { key: 'rate_before_pct', label: 'colBefore', value: (r, l) => num(r.rate_before_pct, l, 3) },
  { key: 'rate_during_pct', label: 'colDuring', value: (r, l) => num(r.rate_during_pct, l, 3) },
  { key: 'recent_trend', label: 'colTrend', value: (r, l) => num(r.recent_trend, l, 2) },
  { key: 'ring_rate_during_pct', label: 'colRing', value: (r, l) => num(r.ring_rate_during_pct, l, 3) },
  { key: 'percentile', label: 'colPercentile', value: (r, l) => num(r.percentile, l, 0) },
];
const sortable = new Set(['name', 'forest2000_ha', 'rate_before_pct', 'rate_during_pct', 'recent_trend', 'ring_rate_during_pct', 'percentile']);

function num(v: number | null, lang: Lang, digits: number): string {
  return v === null ? '—' : v.toLocaleString(lang === 'es' ? 'es-PE' : 'en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits > 0 ? Math.min(digits, 2) : 0 });
}

export function reviewQuery(state: ReviewState, format?: 'csv' | 'geojson'): string {
  const q = new URLSearchParams({ sort: state.sort, order: state.order, limit: String(PAGE), offset: String(state.offset) });
  if (state.type) q.set('type', state.type);
  if (state.region) q.set('region', state.region);
  if (state.flagged) q.set('flagged', 'true');
  if (format) {
    q.set('format', format);
    q.delete('limit');
    q.delete('offset');
  }
  return `/api/concessions/review?${q}`;
}

/** Renders the panel into `root` and loads the page for `state`; `onShow` puts a row on the map. */
export async function renderConcessionTable(root: HTMLElement, lang: Lang, state: ReviewState, onShow: (item: ReviewItem) => void, signal?: AbortSignal): Promise<void> {
  const t = (k: Parameters<typeof translate>[1]) => translate(lang, k);
  const res = await fetch(reviewQuery(state), { signal, headers: { Accept: 'application/json' } });
  if (!res.ok) {
    root.textContent = `${t('loadFailed')} ${res.status}`;
    return;
  }
  const page = (await res.json()) as ReviewPage;
  const rerender = () => void renderConcessionTable(root, lang, state, onShow);
  root.replaceChildren();
  const h = document.createElement('h2');
  h.textContent = t('review');
  const filters = document.createElement('div');
  filters.className = 'filters';
  const select = (label: string, options: string[], value: string, set: (v: string) => void, name: string) => {
    const s = document.createElement('select');
    s.setAttribute('aria-label', label);
    s.dataset.filter = name;
    for (const [v, l] of [['', label], ...options.map((o) => [o, o])] as [string, string][]) {
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
    select(t('allTypes'), page.facets.types, state.type, (v) => (state.type = v), 'type'),
    select(t('allRegions'), page.facets.regions, state.region, (v) => (state.region = v), 'region'),
    flagged,
    csv,
    geo,
  );
  const table = document.createElement('table');
  const head = document.createElement('tr');
  for (const c of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    if (c.text) th.className = 'text';
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
  const tbody = document.createElement('tbody');
  for (const item of page.items) {
    const tr = document.createElement('tr');
    tr.tabIndex = 0;
    tr.dataset.id = String(item.id);
    if (item.flagged) tr.className = 'flagged';
    for (const c of columns) {
      const td = document.createElement('td');
      if (c.text) td.className = 'text';
      td.textContent = c.value(item, lang);
      tr.append(td);
    }
    const flag = document.createElement('td');
    flag.className = 'text flag';
    flag.textContent = item.flagged ? '⚑' : '';
    if (item.flagged) flag.title = lang === 'es' ? item.reason_es : item.reason_en;
    const review = document.createElement('td');
    review.className = 'text';
    review.textContent = item.reviewed ? item.supervision_status : '—';
    const sheet = document.createElement('td');
    sheet.className = 'text';
    const a = document.createElement('a');
    a.href = `/concessions/${item.id}/sheet?lang=${lang}`;
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
    tbody.append(tr);
  }
  table.append(thead, tbody);
  const pager = document.createElement('div');
  pager.className = 'pager';
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
  next.disabled = state.offset + PAGE >= page.total;
  next.addEventListener('click', () => {
    state.offset += PAGE;
    rerender();
  });
  const info = document.createElement('span');
  info.className = 'rows';
  info.textContent = t('rowsOf').replace('{from}', String(page.total ? state.offset + 1 : 0)).replace('{to}', String(Math.min(page.total, state.offset + PAGE))).replace('{total}', String(page.total));
  pager.append(prev, info, next);
  root.append(h, filters, table, pager);
}
