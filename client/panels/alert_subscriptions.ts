// The subscriptions drawer: how digests reach the user (frequency, language, e-mail, a feed address
// and a webhook, whose key and address are shown once), what they follow, and their latest digests
// with the map images and how each was delivered. An admin can make and send the digests now.
import { apiPaths, formatDate, formatHectares, formatNumber, type DigestSettings, type DigestWithDeliveries, type Subscription } from '@atalaya/api';
import { currentUser } from '../api/session';
import { digestMapUrl, fetchDigests, fetchDigestSettings, fetchSubscriptions, runDigestsNow, saveDigestSettings, subscribe, unsubscribe } from '../api/subscriptions';
import type { Lang, MessageKey } from '../i18n';
import { translate } from '../i18n';
import { actionButton, heading, labelled, note, statusLine } from './details_panel';

export async function renderAlertSubscriptions(root: HTMLElement, lang: Lang, stillOpen: () => boolean): Promise<void> {
  const t = (k: MessageKey) => translate(lang, k);
  const user = currentUser();
  if (!user) return void root.replaceChildren(t('followSignIn'));
  const [settings, subscriptions, digests] = await Promise.all([fetchDigestSettings(), fetchSubscriptions(), fetchDigests()]);
  if (!stillOpen()) return;
  const rerender = () => void renderAlertSubscriptions(root, lang, stillOpen);
  const wrap = document.createElement('div');
  wrap.className = 'subscriptions';
  wrap.append(settingsSection(lang, settings), subscriptionsSection(lang, subscriptions, user.agencies, rerender), digestsSection(lang, digests, user.role === 'admin', rerender));
  root.replaceChildren(wrap);
}

function settingsSection(lang: Lang, s: DigestSettings): HTMLElement {
  const t = (k: MessageKey) => translate(lang, k);
  const box = document.createElement('section');
  box.className = 'digest-settings';
  const frequency = document.createElement('select');
  frequency.name = 'frequency';
  for (const f of ['daily', 'weekly', 'off'] as const) frequency.add(new Option(t(f === 'daily' ? 'freqDaily' : f === 'weekly' ? 'freqWeekly' : 'freqOff'), f, false, s.frequency === f));
  const language = document.createElement('select');
  language.name = 'language';
  for (const [code, name] of [['en', 'English'], ['es', 'Español']] as const) language.add(new Option(name, code, false, s.language === code));
  const email = document.createElement('input');
  email.type = 'checkbox';
  email.name = 'email';
  email.checked = s.email;
  const webhook = document.createElement('input');
  webhook.type = 'url';
  webhook.name = 'webhook_url';
  webhook.placeholder = 'https://';
  webhook.value = s.webhook_url ?? '';
  webhook.size = 40;
  const out = document.createElement('div');
  out.className = 'shown-once';
  const status = statusLine();
  const once = (label: string, value: string) => {
    const field = document.createElement('input');
    field.readOnly = true;
    field.value = value;
    field.size = 60;
    field.dataset.once = label;
    out.append(labelled(label, field));
  };
  const save = async (extra: { new_feed_token?: boolean } = {}) => {
    try {
      const url = webhook.value.trim();
      const answer = await saveDigestSettings({ frequency: frequency.value as DigestSettings['frequency'], language: language.value as 'en' | 'es', email: email.checked, webhook_url: url ? url : null, ...extra });
      out.replaceChildren();
      if (answer.feed_url) once(t('feedUrl'), answer.feed_url);
      if (answer.webhook_signing_key) once(t('webhookKey'), answer.webhook_signing_key);
      status.say(t('saved'));
    } catch (e) {
      status.say((e as Error).message, true);
    }
  };
  const saveButton = actionButton(t('saveChanges'), { action: 'save-digest-settings' }, () => void save());
  const feedButton = actionButton(t('newFeed'), { action: 'new-feed' }, () => void save({ new_feed_token: true }));
  const emailRow = labelled(`${t('digestEmail')} ${s.email_address}`, email);
  box.append(heading(t('digestSettings')), labelled(t('frequency'), frequency), labelled(t('digestLanguage'), language), emailRow);
  if (!s.smtp_configured) box.append(note(t('smtpMissing')));
  box.append(labelled(t('webhookUrl'), webhook), saveButton, feedButton);
  if (s.has_feed) box.append(note(t('hasFeed')));
  if (s.last_run_at) box.append(note(`${t('lastDigestRun')}: ${formatDate(lang, s.last_run_at)}`));
  box.append(out, status);
  return box;
}

function subscriptionsSection(lang: Lang, list: Subscription[], agencies: string[], rerender: () => void): HTMLElement {
  const t = (k: MessageKey) => translate(lang, k);
  const box = document.createElement('section');
  box.className = 'subscription-list';
  box.append(heading(t('followedSubjects')));
  const status = statusLine();
  const failed = (e: Error) => status.say(e.message, true);
  if (list.length === 0) box.append(note(t('noSubscriptions')));
  else {
    const ul = document.createElement('ul');
    for (const s of list) {
      const li = document.createElement('li');
      li.dataset.subscription = String(s.id);
      const conf = s.confidence.length === 3 ? '' : ` · ${s.confidence.map((c) => t(c === 'low' ? 'confidenceLow' : c === 'high' ? 'confidenceHigh' : 'confidenceHighest')).join(', ')}`;
      li.append(`${s.label} · ${s.layer ?? t('allAlertLayers')}${conf} · ${t('sinceLabel')} ${formatDate(lang, s.since)} `);
      li.append(actionButton(t('unfollow'), { unfollow: String(s.id) }, () => void unsubscribe(s.id).then(rerender, failed)));
      ul.append(li);
    }
    box.append(ul);
  }
  for (const agency of agencies) box.append(actionButton(`${t('followAgencySites')} ${agency}`, { follow: `agency-${agency}` }, () => void subscribe({ kind: 'rule', rule: { type: 'agency_sites', agency }, lang }).then(rerender, failed)));
  box.append(status);
  return box;
}

function digestsSection(lang: Lang, digests: DigestWithDeliveries[], admin: boolean, rerender: () => void): HTMLElement {
  const t = (k: MessageKey) => translate(lang, k);
  const box = document.createElement('section');
  box.className = 'digest-list';
  box.append(heading(t('latestDigests')));
  const status = statusLine();
  if (admin) {
    const run = actionButton(t('sendDigestsNow'), { action: 'run-digests' }, () => {
      run.disabled = true;
      status.say(t('digestsQueued'));
      void runDigestsNow()
        .then(async (job) => {
          for (let i = 0; i < 240; i++) {
            const j = (await (await fetch(apiPaths.job(job.id))).json()) as { status: string; message: string | null };
            if (j.status === 'done' || j.status === 'failed') {
              status.say(j.message ?? j.status, j.status === 'failed');
              break;
            }
            await new Promise((r) => setTimeout(r, 500));
          }
          rerender();
        })
        .catch((e: Error) => {
          status.say(e.message, true);
          run.disabled = false;
        });
    });
    box.append(run);
  }
  box.append(status);
  if (digests.length === 0) box.append(note(t('noDigests')));
  const count = (px: number, ha: number) => `${formatNumber(lang, px)} ${t('alertsWord')}, ${formatHectares(lang, ha)}`;
  for (const d of digests.slice(0, 5)) {
    const article = document.createElement('article');
    article.dataset.digest = String(d.id);
    const h = document.createElement('h3');
    h.textContent = `${formatDate(lang, d.created_at)}: ${count(d.total_px, d.total_ha)}`;
    const deliveries = note(d.deliveries.map((x) => `${x.channel === 'email' ? 'e-mail' : 'webhook'}: ${t(`delivery_${x.status}` as MessageKey)}`).join(' · '));
    const ul = document.createElement('ul');
    const figures = document.createElement('div');
    figures.className = 'digest-maps';
    for (const s of d.subscriptions) {
      for (const l of s.layers) {
        const li = document.createElement('li');
        li.textContent = `${s.label}: ${count(l.px, l.ha)} (${formatDate(lang, l.first_date)} – ${formatDate(lang, l.last_date)})`;
        ul.append(li);
        if (l.map !== null) {
          const img = document.createElement('img');
          img.src = digestMapUrl(d.id, l.map);
          img.alt = `${t('digestMapAlt')}: ${s.label}`;
          img.loading = 'lazy';
          figures.append(img);
        }
      }
    }
    article.append(h, deliveries, ul, figures);
    box.append(article);
  }
  return box;
}
