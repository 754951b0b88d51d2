// The subscriptions drawer: how digests reach the user (frequency, language, e-mail, a feed address
// and a webhook, whose key and address are shown once), what they follow, and their latest digests
// with the map images and how each was delivered. An admin can make and send the digests now.
import { apiPaths, formatDate, formatHectares, formatNumber, type DigestSettings, type DigestWithDeliveries, type Subscription } from '@atalaya/api';
import { currentUser } from '../api/session';
import { digestMapUrl, fetchDigests, fetchDigestSettings, fetchSubscriptions, runDigestsNow, saveDigestSettings, subscribe, unsubscribe } from '../api/subscriptions';
import type { Lang, MessageKey } from '../i18n';
import { translate } from '../i18n';

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

function heading(text: string): HTMLHeadingElement {
  const h = document.createElement('h2');
  h.textContent = text;
  return h;
}

function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  const l = document.createElement('label');
  l.append(`${text} `, control);
  return l;
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
  const status = document.createElement('p');
  status.className = 'status';
  status.setAttribute('role', 'status');
  const once = (label: string, value: string) => {
    const field = document.createElement('input');
    field.readOnly = true;
    field.value = value;
    field.size = 60;
    field.dataset.once = label;
    out.append(labelled(label, field));
  };
  const save = async (extra: { new_feed_token?: boolean } = {}) => {
    status.className = 'status';
    try {
      const url = webhook.value.trim();
      const answer = await saveDigestSettings({ frequency: frequency.value as DigestSettings['frequency'], language: language.value as 'en' | 'es', email: email.checked, webhook_url: url ? url : null, ...extra });
      out.replaceChildren();
      if (answer.feed_url) once(t('feedUrl'), answer.feed_url);
      if (answer.webhook_signing_key) once(t('webhookKey'), answer.webhook_signing_key);
      status.textContent = t('saved');
    } catch (e) {
      status.className = 'status error';
      status.textContent = (e as Error).message;
    }
  };
  const saveButton = document.createElement('button');
  saveButton.type = 'button';
  saveButton.dataset.action = 'save-digest-settings';
  saveButton.textContent = t('saveChanges');
  saveButton.addEventListener('click', () => void save());
  const feedButton = document.createElement('button');
  feedButton.type = 'button';
  feedButton.dataset.action = 'new-feed';
  feedButton.textContent = t('newFeed');
  feedButton.addEventListener('click', () => void save({ new_feed_token: true }));
  const emailRow = labelled(`${t('digestEmail')} ${s.email_address}`, email);
  box.append(heading(t('digestSettings')), labelled(t('frequency'), frequency), labelled(t('digestLanguage'), language), emailRow);
  if (!s.smtp_configured) {
    const note = document.createElement('p');
    note.className = 'note';
    note.textContent = t('smtpMissing');
    box.append(note);
  }
  box.append(labelled(t('webhookUrl'), webhook), saveButton, feedButton);
  if (s.has_feed) {
    const note = document.createElement('p');
    note.className = 'note';
    note.textContent = t('hasFeed');
    box.append(note);
  }
  if (s.last_run_at) {
    const note = document.createElement('p');
    note.className = 'note';
    note.textContent = `${t('lastDigestRun')}: ${formatDate(lang, s.last_run_at)}`;
    box.append(note);
  }
  box.append(out, status);
  return box;
}

function subscriptionsSection(lang: Lang, list: Subscription[], agencies: string[], rerender: () => void): HTMLElement {
  const t = (k: MessageKey) => translate(lang, k);
  const box = document.createElement('section');
  box.className = 'subscription-list';
  box.append(heading(t('followedSubjects')));
  const status = document.createElement('p');
  status.className = 'status';
  status.setAttribute('role', 'status');
  if (list.length === 0) {
    const p = document.createElement('p');
    p.className = 'note';
    p.textContent = t('noSubscriptions');
    box.append(p);
  } else {
    const ul = document.createElement('ul');
    for (const s of list) {
      const li = document.createElement('li');
      li.dataset.subscription = String(s.id);
      const conf = s.confidence.length === 3 ? '' : ` · ${s.confidence.map((c) => t(c === 'low' ? 'confidenceLow' : c === 'high' ? 'confidenceHigh' : 'confidenceHighest')).join(', ')}`;
      li.append(`${s.label} · ${s.layer ?? t('allAlertLayers')}${conf} · ${t('sinceLabel')} ${formatDate(lang, s.since)} `);
      const stop = document.createElement('button');
      stop.type = 'button';
      stop.textContent = t('unfollow');
      stop.addEventListener('click', () => void unsubscribe(s.id).then(rerender, (e: Error) => (status.textContent = e.message)));
      li.append(stop);
      ul.append(li);
    }
    box.append(ul);
  }
  for (const agency of agencies) {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.follow = `agency-${agency}`;
    b.textContent = `${t('followAgencySites')} ${agency}`;
    b.addEventListener('click', () => void subscribe({ kind: 'rule', rule: { type: 'agency_sites', agency }, lang }).then(rerender, (e: Error) => (status.textContent = e.message)));
    box.append(b);
  }
  box.append(status);
  return box;
}

function digestsSection(lang: Lang, digests: DigestWithDeliveries[], admin: boolean, rerender: () => void): HTMLElement {
  const t = (k: MessageKey) => translate(lang, k);
  const box = document.createElement('section');
  box.className = 'digest-list';
  box.append(heading(t('latestDigests')));
  const status = document.createElement('p');
  status.className = 'status';
  status.setAttribute('role', 'status');
  if (admin) {
    const run = document.createElement('button');
    run.type = 'button';
    run.dataset.action = 'run-digests';
    run.textContent = t('sendDigestsNow');
    run.addEventListener('click', () => {
      run.disabled = true;
      status.textContent = t('digestsQueued');
      void runDigestsNow()
        .then(async (job) => {
          for (let i = 0; i < 240; i++) {
            const j = (await (await fetch(apiPaths.job(job.id))).json()) as { status: string; message: string | null };
            if (j.status === 'done' || j.status === 'failed') {
              status.textContent = j.message ?? j.status;
              break;
            }
            await new Promise((r) => setTimeout(r, 500));
          }
          rerender();
        })
        .catch((e: Error) => {
          status.textContent = e.message;
          run.disabled = false;
        });
    });
    box.append(run);
  }
  box.append(status);
  if (digests.length === 0) {
    const p = document.createElement('p');
    p.className = 'note';
    p.textContent = t('noDigests');
    box.append(p);
  }
  const count = (px: number, ha: number) => `${formatNumber(lang, px)} ${t('alertsWord')}, ${formatHectares(lang, ha)}`;
  for (const d of digests.slice(0, 5)) {
    const article = document.createElement('article');
    article.dataset.digest = String(d.id);
    const h = document.createElement('h3');
    h.textContent = `${formatDate(lang, d.created_at)}: ${count(d.total_px, d.total_ha)}`;
    const deliveries = document.createElement('p');
    deliveries.className = 'note';
    deliveries.textContent = d.deliveries.map((x) => `${x.channel === 'email' ? 'e-mail' : 'webhook'}: ${t(`delivery_${x.status}` as MessageKey)}`).join(' · ');
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
