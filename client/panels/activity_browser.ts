// The activity browser: filters by goal, priority area, action area, status, lead agency, funding and
// text; the list of matching activities (a row opens the activity); the map follows the same filter.
import type { Activity, Programme } from '@atalaya/api';
import { activityStatuses, formatNumber, fundingStatuses, localized } from '@atalaya/api';
import type { Lang, MessageKey } from '../i18n';
import { translate, translateCode } from '../i18n';
import type { ActivityFilter } from '../state/app_state';
import { EXPORT_FORMATS, exportUrl } from '../api/client';
import { downloadLinks } from './details_panel';

export interface ActivityBrowserModel {
  lang: Lang;
  programme: Programme;
  /** Every published activity (a few hundred at most in a work programme): facets come from it. */
  all: Activity[];
  filter: ActivityFilter;
  matching: Activity[];
}

const PAGE = 25;

export function renderActivityBrowser(root: HTMLElement, m: ActivityBrowserModel, onFilter: (f: ActivityFilter) => void, onOpen: (id: number) => void, onZoom: () => void, page = 0): void {
  const t = (k: MessageKey) => translate(m.lang, k);
  root.replaceChildren();
  const filters = document.createElement('form');
  filters.className = 'filters';
  filters.setAttribute('aria-label', t('filters'));
  filters.addEventListener('submit', (e) => e.preventDefault());
  const select = (key: keyof ActivityFilter, label: string, allLabel: string, options: [string, string][]) => {
    const wrap = document.createElement('label');
    const text = document.createElement('span');
    text.textContent = label;
    const s = document.createElement('select');
    s.name = key;
    s.append(new Option(allLabel, ''));
    for (const [value, name] of options) s.append(new Option(name, value, false, m.filter[key] === value));
    s.addEventListener('change', () => {
      const next = { ...m.filter, [key]: s.value || undefined };
      // An action area belongs to one priority area: changing the priority area clears it.
      if (key === 'priorityArea') delete next.actionArea;
      onFilter(next);
    });
    wrap.append(text, s);
    filters.append(wrap);
  };
  const short = (s: string) => (s.length > 48 ? `${s.slice(0, 46)}…` : s);
  select('goal', t('goal'), t('all'), m.programme.goals.map((g) => [g.code, `${g.code} · ${short(g.title[m.lang])}`]));
  select('priorityArea', t('priorityArea'), t('all'), m.programme.priorityAreas.map((p) => [p.code, `${p.code} · ${short(p.title[m.lang])}`]));
  const actionAreas = m.programme.priorityAreas.filter((p) => !m.filter.priorityArea || p.code === m.filter.priorityArea).flatMap((p) => p.actionAreas);
  select('actionArea', t('actionArea'), t('all'), actionAreas.map((a) => [a.code, `${a.code} · ${short(a.title[m.lang])}`]));
  select('status', t('status'), t('all'), activityStatuses.map((s) => [s, translateCode(m.lang, s)]));
  select('leadAgency', t('leadAgency'), t('all'), [...new Set(m.all.map((a) => a.leadAgency))].sort().map((a) => [a, a]));
  select('fundingStatus', t('funding'), t('all'), fundingStatuses.map((s) => [s, translateCode(m.lang, s)]));
  const textLabel = document.createElement('label');
  const textSpan = document.createElement('span');
  textSpan.textContent = t('text');
  const text = document.createElement('input');
  text.type = 'search';
  text.name = 'q';
  text.value = m.filter.q ?? '';
  text.addEventListener('change', () => onFilter({ ...m.filter, q: text.value || undefined }));
  textLabel.append(textSpan, text);
  const clear = document.createElement('button');
  clear.type = 'button';
  clear.textContent = t('clearFilters');
  clear.addEventListener('click', () => onFilter({}));
  filters.append(textLabel, clear);

  const summary = document.createElement('p');
  summary.className = 'browser-summary';
  summary.setAttribute('role', 'status');
  summary.textContent = t(m.matching.length === 1 ? 'matchingActivitiesOne' : 'matchingActivities').replace('{n}', formatNumber(m.lang, m.matching.length)).replace('{total}', formatNumber(m.lang, m.all.length));
  if (m.matching.some((a) => a.siteCount > 0)) {
    const zoom = document.createElement('button');
    zoom.type = 'button';
    zoom.textContent = t('zoomToMatching');
    zoom.addEventListener('click', onZoom);
    summary.append(zoom);
  }
  const drafts = document.createElement('p');
  drafts.className = 'hint';
  drafts.textContent = t('draftsHidden');
  // The matching activities with their sites' geometry, in every export format. By id: exactly the
  // list the server's filter rules gave the browser (text search included), which no export
  // parameter could say.
  const exportIds = m.matching.length === m.all.length ? undefined : m.matching.map((a) => a.id);
  const downloads = downloadLinks(EXPORT_FORMATS.map((f) => ({ label: f.label, href: exportUrl({ what: 'activities', format: f.format, ...(exportIds ? { ids: exportIds.length ? exportIds : [0] } : {}) }) })));
  downloads.prepend(`${t('downloadMatching')}: `);

  const table = document.createElement('table');
  table.className = 'activity-table';
  const head = table.createTHead().insertRow();
  for (const k of ['colCode', 'colTitle', 'priorityArea', 'status', 'leadAgency', 'funding', 'colSites'] as MessageKey[]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = t(k);
    head.append(th);
  }
  const body = table.createTBody();
  for (const a of m.matching.slice(page * PAGE, (page + 1) * PAGE)) {
    const tr = body.insertRow();
    tr.tabIndex = 0;
    tr.dataset.activityId = String(a.id);
    for (const v of [a.code, localized(m.lang, a.title, a.titleEs), a.priorityArea, translateCode(m.lang, a.status), a.leadAgency, translateCode(m.lang, a.fundingStatus), formatNumber(m.lang, a.siteCount)]) {
      const td = tr.insertCell();
      td.textContent = v;
    }
    tr.addEventListener('click', () => onOpen(a.id));
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') onOpen(a.id);
    });
  }
  const pager = document.createElement('div');
  pager.className = 'pager';
  const pages = Math.max(1, Math.ceil(m.matching.length / PAGE));
  const nav = (label: string, to: number, disabled: boolean) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.disabled = disabled;
    b.addEventListener('click', () => renderActivityBrowser(root, m, onFilter, onOpen, onZoom, to));
    return b;
  };
  pager.append(nav(t('previous'), page - 1, page === 0), `${page + 1} / ${pages}`, nav(t('next'), page + 1, page + 1 >= pages));
  root.append(filters, summary, drafts, downloads, table, pager);
}
