// POSTing a signed JSON body to a user's webhook. The body is signed with HMAC-SHA256 over
// "<timestamp>.<body>" (the scheme Stripe and GitHub use: a receiver recomputes it with the secret
// and refuses old timestamps). Unless allowed, a webhook may not reach private, loopback or
// link-local addresses: the check is in the connection's own DNS lookup, so a name that resolves
// to a public address when saved and a private one later is still refused.
import crypto from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

const privateRanges = new net.BlockList();
for (const [a, p] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) privateRanges.addSubnet(a, p, 'ipv4');
for (const [a, p] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) privateRanges.addSubnet(a, p, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is its IPv4 address. (A ::ffff:0:0/96 rule would
  // not do: BlockList matches every IPv4 address against it.)
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return privateRanges.check(mapped[1]!, 'ipv4');
  return privateRanges.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4');
}

/** A URL's host that is itself a private address (a literal IP, or localhost); names are checked at connect time. */
export function isPrivateHostLiteral(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || (net.isIP(host) !== 0 && isPrivateAddress(host));
}

export class WebhookError extends Error {}

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookOptions {
  secret: string;
  deliveryId: string;
  allowPrivate: boolean;
  timeoutMs?: number;
}

/** Resolves and refuses private addresses (unless allowed), for the socket itself. */
function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const bad = list.find((a) => !allowPrivate && isPrivateAddress(a.address));
      if (bad) return callback(new WebhookError(`${hostname} resolves to ${bad.address}, a private address; webhooks go to public addresses only (ATALAYA_WEBHOOK_PRIVATE_HOSTS=true allows private ones).`), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** Sends the body; resolves on a 2xx answer, rejects with the reason otherwise. */
export function postWebhook(url: string, body: string, options: WebhookOptions): Promise<number> {
  const target = new URL(url);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return Promise.reject(new WebhookError(`${url}: only http and https webhooks.`));
  if (!options.allowPrivate && isPrivateHostLiteral(target.hostname) && target.hostname !== 'localhost') {
    return Promise.reject(new WebhookError(`${target.hostname} is a private address; webhooks go to public addresses only.`));
  }
  const timestamp = Math.floor(Date.now() / 1000);
  const request = target.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        lookup: guardedLookup(options.allowPrivate),
        timeout: options.timeoutMs ?? 10_000,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Atalaya alert digests',
          'x-atalaya-event': 'alert-digest',
          'x-atalaya-delivery': options.deliveryId,
          'x-atalaya-timestamp': String(timestamp),
          'x-atalaya-signature': signWebhook(options.secret, timestamp, body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode! >= 200 && res.statusCode! < 300 ? resolve(res.statusCode!) : reject(new WebhookError(`${target.host} answered ${res.statusCode}`))));
      },
    );
    req.on('timeout', () => req.destroy(new WebhookError(`${target.host} did not answer in ${(options.timeoutMs ?? 10_000) / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}
