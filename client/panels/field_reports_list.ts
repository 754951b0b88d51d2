// The reports on this device: what waits to be sent (and when it will be tried again), what was
// sent, what the server refused and why; "Send now" when there is a connection.
import { FIELD_FORMS, formatCount, formatDate, formatDateTime } from '@atalaya/api';
import type { Lang, MessageKey } from '../i18n';
import { translate } from '../i18n';
import { forgetReport, queuedReports, type QueuedReport } from '../offline/report_queue';
import { syncReports } from '../offline/report_sync';
import { actionButton, heading, note, statusLine } from './details_panel';

/** "Alert of 2 Dec 2026: Confirmed" or "Visit to <site>", in the reader's language. */
function titleOf(r: QueuedReport, lang: Lang): string {
  const i = r.input;
  if (i.kind === 'alert') return `${translate(lang, 'alertOfDate')} ${r.about.alert_date ? formatDate(lang, r.about.alert_date) : i.alert}: ${FIELD_FORMS.alert_verification.result.options[i.result][lang]}`;
  return `${translate(lang, 'visitOf')} ${r.about.site_name ?? `#${i.site_id}`}`;
}

export async function renderFieldReports(root: HTMLElement, lang: Lang, redraw: () => void): Promise<void> {
  const t = (k: MessageKey) => translate(lang, k);
  const list = await queuedReports();
  const box = document.createElement('section');
  box.className = 'field-reports';
  box.append(heading(t('reportsOnDevice')), note(t('fieldTapHint')));
  const status = statusLine();
  const pending = list.filter((r) => r.state === 'pending').length;
  if (pending) {
    const sendNow = actionButton(t('sendNow'), { action: 'send-reports' }, () => void (async () => {
      sendNow.disabled = true;
      const r = await syncReports(true);
      if (r.stopped === 'signed-out') status.say(t('reportsSignIn'), true);
      redraw();
    })());
    box.append(sendNow);
  }
  if (!list.length) box.append(note(t('noReports')));
  const ul = document.createElement('ul');
  for (const r of [...list].reverse()) {
    const li = document.createElement('li');
    li.dataset.report = r.id;
    li.dataset.state = r.state;
    const title = document.createElement('strong');
    title.textContent = titleOf(r, lang);
    const state = document.createElement('span');
    state.className = `report-state ${r.state}`;
    const label = t(r.state === 'pending' ? 'reportPending' : r.state === 'sent' ? 'reportSent' : 'reportRefused');
    state.textContent = [label, r.state === 'pending' && r.attempts > 0 ? t('reportRetry') : '', formatDateTime(lang, r.sent_at ?? r.created_at)].filter(Boolean).join(' · ');
    const facts = document.createElement('span');
    facts.className = 'facts';
    facts.textContent = formatCount(lang, r.photos.length, { one: t('photoOne'), other: t('photoOther') });
    li.append(title, document.createElement('br'), state, ' · ', facts);
    if (r.reason && r.state !== 'sent') {
      const why = document.createElement('p');
      why.className = r.state === 'refused' ? 'reason error' : 'reason';
      why.textContent = r.reason;
      li.append(why);
    }
    if (r.state !== 'pending') {
      const remove = actionButton(t('removeReport'), { action: 'remove-report' }, () => void forgetReport(r.id).then(redraw));
      remove.setAttribute('aria-label', `${t('removeReport')}: ${titleOf(r, lang)}`);
      li.append(document.createElement('br'), remove);
    }
    ul.append(li);
  }
  box.append(ul, status);
  root.replaceChildren(box);
}
