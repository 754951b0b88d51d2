// Supervisors' list: the field reports of their agencies waiting for review, with what was seen,
// where (and how precisely), the photos, and Accept / Reject with a note. The server refuses a
// review of one's own report and says so; the answer is shown under the report.
import { FIELD_FORMS, formatDate, formatDateTime, formatNumber, type FieldReport } from '@atalaya/api';
import { fetchFieldReports, reviewFieldReport } from '../api/field_reports';
import type { Lang, MessageKey } from '../i18n';
import { translate } from '../i18n';
import { actionButton, heading, labelled, note, statusLine } from './details_panel';

function describe(r: FieldReport, lang: Lang): string {
  const t = (k: MessageKey) => translate(lang, k);
  const f = FIELD_FORMS.alert_verification;
  if (r.kind === 'alert' && r.alert && r.result) {
    const cause = r.cause ? `, ${f.cause.options[r.cause][lang]}` : '';
    const outline = r.outline_ha !== null ? `, ${t('outlineHa')} ${formatNumber(lang, r.outline_ha, 2)} ha` : '';
    return `${t('alertOfDate')} ${formatDate(lang, r.alert.date)}: ${f.result.options[r.result][lang]}${cause}${outline}`;
  }
  return `${t('visitOf')} ${r.site?.name ?? ''}`;
}

export async function renderReportReview(root: HTMLElement, lang: Lang, stillOpen: () => boolean): Promise<void> {
  const t = (k: MessageKey) => translate(lang, k);
  const { reports } = await fetchFieldReports('pending');
  if (!stillOpen()) return;
  const box = document.createElement('section');
  box.className = 'report-review';
  box.append(heading(t('reportsToReview')));
  if (!reports.length) box.append(note(t('noReportsToReview')));
  const ul = document.createElement('ul');
  for (const r of reports) {
    const li = document.createElement('li');
    li.dataset.fieldReport = r.id;
    const title = document.createElement('strong');
    title.textContent = describe(r, lang);
    const facts = document.createElement('span');
    facts.className = 'facts';
    facts.textContent = [r.agency, r.author ?? '', formatDateTime(lang, r.observed_at), `${t('positionAccuracy')} ${formatNumber(lang, r.position.accuracy_m)} m`].filter(Boolean).join(' · ');
    li.append(title, document.createElement('br'), facts);
    const text = r.kind === 'alert' ? r.notes : r.observations;
    if (text) li.append(note(text));
    if (r.measurements.length) li.append(note(r.measurements.map((m) => `#${m.indicator_id}: ${formatNumber(lang, m.value, 3)}`).join(' · ')));
    const photos = document.createElement('div');
    photos.className = 'photos';
    for (const p of r.photos) {
      const a = document.createElement('a');
      a.href = p.url;
      a.target = '_blank';
      a.rel = 'noopener';
      const img = document.createElement('img');
      img.src = p.url;
      img.loading = 'lazy';
      img.alt = `${t('photoOne')} ${p.taken_at ? formatDateTime(lang, p.taken_at) : ''}`.trim();
      a.append(img);
      photos.append(a);
    }
    const comment = document.createElement('input');
    comment.type = 'text';
    comment.maxLength = 2000;
    comment.name = 'review-note';
    const status = statusLine();
    const decide = (decision: 'accepted' | 'rejected') => () => void (async () => {
      try {
        await reviewFieldReport(r.id, { decision, note: comment.value });
        status.say(t(decision === 'accepted' ? 'reportAccepted' : 'reportRejected'));
        for (const b of li.querySelectorAll('button')) b.disabled = true;
      } catch (e) {
        status.say((e as Error).message, true);
      }
    })();
    const accept = actionButton(t('acceptReport'), { action: 'accept-report' }, decide('accepted'));
    const reject = actionButton(t('rejectReport'), { action: 'reject-report' }, decide('rejected'));
    li.append(photos, labelled(t('reviewNote'), comment), accept, reject, status);
    ul.append(li);
  }
  box.append(ul);
  root.replaceChildren(box);
}
