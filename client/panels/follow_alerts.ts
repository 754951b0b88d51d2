// "Follow alerts here" in the side panel of an area, an activity or a drawn polygon: a subscription
// for the signed-in user (digests by e-mail, feed or webhook, set in the subscriptions drawer), and
// for an area, a rule that follows every area of a kind inside it as the data changes.
import { apiPaths, type SubscriptionInput } from '@atalaya/api';
import { currentUser } from '../api/session';
import { subscribe } from '../api/subscriptions';
import type { Lang, MessageKey } from '../i18n';
import { translate } from '../i18n';
import { actionButton, sectionTitle, statusLine } from './details_panel';

export interface FollowOptions {
  /** Undefined: no subscription for this subject (a site: follow its activity). */
  input?: SubscriptionInput;
  /** The page of what a digest of the subject's last week would say. */
  preview?: string;
  /** For an area: the kinds one may follow inside it (every concession in a department). */
  inside?: { areaId: number; kinds: { code: string; label: string }[] };
}

export function appendFollow(body: HTMLElement, lang: Lang, options: FollowOptions): void {
  const t = (k: MessageKey) => translate(lang, k);
  const box = document.createElement('section');
  box.className = 'follow-alerts';
  box.append(sectionTitle(t('subscriptions')));
  const status = statusLine();
  if (options.preview) {
    const a = document.createElement('a');
    a.href = options.preview;
    a.target = '_blank';
    a.className = 'digest-preview';
    a.textContent = t('digestPreview');
    const p = document.createElement('p');
    p.append(a);
    box.append(p);
  }
  if (!options.input) return void body.append(box);
  const input = options.input;
  if (!currentUser()) {
    status.textContent = t('followSignIn');
    box.append(status);
    body.append(box);
    return;
  }
  const follow = async (input: SubscriptionInput, button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      const s = await subscribe({ ...input, lang });
      status.say(`${t('followingNow')}: ${s.label}`);
    } catch (e) {
      status.say((e as Error).message, true);
      button.disabled = false;
    }
  };
  const here: HTMLButtonElement = actionButton(t('followAlerts'), { follow: 'here' }, () => void follow(input, here));
  box.append(here);
  if (options.inside && options.inside.kinds.length) {
    const row = document.createElement('div');
    row.className = 'follow-inside';
    const kind = document.createElement('select');
    kind.setAttribute('aria-label', t('kind'));
    for (const k of options.inside.kinds) kind.add(new Option(k.label, k.code));
    const areaId = options.inside.areaId;
    const every: HTMLButtonElement = actionButton(t('followEvery'), { follow: 'inside' }, () => void follow({ kind: 'rule', rule: { type: 'areas_within', area_kind: kind.value, within_area_id: areaId } }, every));
    row.append(every, kind, document.createTextNode(` ${t('insideThisArea')}`));
    box.append(row);
  }
  box.append(status);
  body.append(box);
}

export const digestPreviewUrl = (subject: 'area' | 'activity' | 'site', id: number, lang: Lang) => `${apiPaths.digestPreview}?subject=${subject}&id=${id}&days=7&lang=${lang}`;
