// The editor's drawer: the activities of their agencies, drafts included, and a new one.
import type { Activity } from '@atalaya/api';
import type { Lang, MessageKey } from '../i18n';
import { translate, translateCode } from '../i18n';

export function renderMyActivities(root: HTMLElement, lang: Lang, activities: Activity[], open: (id: number | 'new') => void): void {
  const t = (k: MessageKey) => translate(lang, k);
  root.replaceChildren();
  const bar = document.createElement('div');
  bar.className = 'filters';
  const h = document.createElement('h2');
  h.textContent = t('myActivities');
  const add = document.createElement('button');
  add.type = 'button';
  add.id = 'new-activity';
  add.textContent = t('newActivity');
  add.addEventListener('click', () => open('new'));
  bar.append(h, add);
  const table = document.createElement('table');
  table.className = 'activity-table';
  const head = table.createTHead().insertRow();
  for (const k of ['colCode', 'colTitle', 'leadAgency', 'status', 'publishedLabel'] as MessageKey[]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = t(k);
    head.append(th);
  }
  const body = table.createTBody();
  for (const a of activities) {
    const tr = body.insertRow();
    tr.tabIndex = 0;
    tr.dataset.activityId = String(a.id);
    for (const v of [a.code, a.title, a.leadAgency, translateCode(lang, a.status)]) tr.insertCell().textContent = v;
    const badge = document.createElement('span');
    badge.className = a.published ? 'badge published' : 'badge draft';
    badge.textContent = t(a.published ? 'publishedBadge' : 'draft');
    tr.insertCell().append(badge);
    tr.addEventListener('click', () => open(a.id));
    tr.addEventListener('keydown', (e) => e.key === 'Enter' && open(a.id));
  }
  root.append(bar, table);
}
