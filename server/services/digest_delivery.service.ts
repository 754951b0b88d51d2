// Delivering committed digests: by e-mail (SMTP) and to webhooks, retried on every run until sent
// (five tries, then marked failed with the last error). Delivery is at least once: a process killed
// after a message left but before it was marked sent sends it again on the next run, with the same
// Message-ID and X-Atalaya-Delivery id, so mail clients and receivers can drop the repeat. The
// digest itself (which alerts it reports) never changes between tries.
import type { Kysely } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Database } from '../db/schema';
import type { Digest } from '../api';
import type { Logger } from '../log';
import { digestMaps, pendingDeliveries, recordDelivery } from '../db/repositories/alert_subscriptions.repository';
import { digestMessage } from '../reports/digest_message';
import { postWebhook } from '../alerts/webhook_post';

const MAX_ATTEMPTS = 5;

export interface DeliveryDeps {
  db: Kysely<Database>;
  /** Undefined: no SMTP configured (e-mail deliveries are not made then). */
  mailer: Transporter | undefined;
  mailFrom: string;
  publicUrl: string;
  webhookPrivateHosts: boolean;
  log: Logger;
}

export function createMailer(smtpUrl: string | undefined): Transporter | undefined {
  return smtpUrl ? nodemailer.createTransport(smtpUrl) : undefined;
}

export const settingsUrl = (publicUrl: string, lang: string) => `${publicUrl}/?lang=${lang}&panel=subscriptions`;

function messageId(publicUrl: string, digestId: number): string {
  return `<alert-digest-${digestId}@${new URL(publicUrl).hostname}>`;
}

/** Sends what is pending; returns how many were sent and how many failed this time. */
export async function deliverPendingDigests(deps: DeliveryDeps): Promise<{ sent: number; failed: number }> {
  let sent = 0, failed = 0;
  const pending = await pendingDeliveries(deps.db, 500);
  for (const d of pending) {
    const digest = { ...(d.content as Omit<Digest, 'id' | 'created_at'>), id: d.digest_id, created_at: d.created_at.toISOString() } as Digest;
    try {
      if (d.channel === 'email') {
        if (!deps.mailer) throw new Error('no SMTP server is configured (ATALAYA_SMTP_URL)');
        const maps = await digestMaps(deps.db, d.digest_id);
        const msg = digestMessage(digest, settingsUrl(deps.publicUrl, digest.language), (n) => `cid:map-${n}@atalaya`);
        await deps.mailer.sendMail({
          from: deps.mailFrom,
          to: d.target,
          subject: msg.subject,
          text: msg.text,
          html: msg.html,
          messageId: messageId(deps.publicUrl, d.digest_id),
          headers: { 'X-Atalaya-Digest': String(d.digest_id), 'Content-Language': digest.language },
          attachments: maps.map((m) => ({ filename: `alerts-${d.digest_id}-${m.n}.png`, content: Buffer.from(m.png), contentType: 'image/png', cid: `map-${m.n}@atalaya` })),
        });
      } else {
        // The secret of the URL the delivery was made for: a changed URL is not sent the old digest.
        if (!d.webhook_secret || d.webhook_url !== d.target) throw new Error('the webhook was removed or changed since this digest was made');
        // The map images travel inside the body (a few kilobytes each): a receiver needs no account to see them.
        const maps = await digestMaps(deps.db, d.digest_id);
        const body = JSON.stringify({ ...digest, maps: Object.fromEntries(maps.map((m) => [String(m.n), `data:image/png;base64,${Buffer.from(m.png).toString('base64')}`])) });
        await postWebhook(d.target, body, { secret: d.webhook_secret, deliveryId: `digest-${d.digest_id}`, allowPrivate: deps.webhookPrivateHosts });
      }
      await recordDelivery(deps.db, d.digest_id, d.channel, { sent: true });
      sent++;
    } catch (e) {
      const error = (e as Error).message;
      const giveUp = d.attempts + 1 >= MAX_ATTEMPTS || /removed or changed/.test(error);
      await recordDelivery(deps.db, d.digest_id, d.channel, { sent: false, error, give_up: giveUp });
      failed++;
      deps.log.warn({ digest: d.digest_id, channel: d.channel, err: error, attempt: d.attempts + 1 }, giveUp ? 'digest delivery failed for good' : 'digest delivery failed; retried on the next run');
    }
  }
  return { sent, failed };
}
