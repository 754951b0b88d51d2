// HTTP for a job that runs unattended every week: timeouts, retries with backoff on 429, 5xx and
// broken connections (honouring Retry-After), and the usual proxy variables (HTTPS_PROXY, HTTP_PROXY,
// NO_PROXY) through undici's EnvHttpProxyAgent; Node's built-in fetch reads none of them.
import { EnvHttpProxyAgent, fetch, type Dispatcher, type Response } from 'undici';

export interface HttpOptions {
  headers?: Record<string, string>;
  /** Per attempt, until the response headers arrive (the body has its own reads). */
  timeoutMs?: number;
  /** Attempts after the first. */
  retries?: number;
  /** The first wait; doubled after each failure (with jitter), at most 60 s. */
  backoffMs?: number;
  signal?: AbortSignal;
  onRetry?: (info: { url: string; attempt: number; reason: string; waitMs: number }) => void;
}

export class HttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const RETRY_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

let dispatcher: Dispatcher | undefined;
/** One proxy-aware dispatcher per process; it reads the proxy variables when it is made. */
function proxyAware(): Dispatcher {
  dispatcher ??= new EnvHttpProxyAgent();
  return dispatcher;
}

/** Errors worth another attempt: the network, not the request. */
export function isTransient(e: unknown): boolean {
  if (e instanceof HttpError) return RETRY_STATUS.has(e.status);
  const err = e as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  const code = err.cause?.code ?? err.code ?? '';
  return err.name === 'TimeoutError' || err.cause?.name === 'TimeoutError' || /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|UND_ERR_(SOCKET|CONNECT_TIMEOUT|HEADERS_TIMEOUT|BODY_TIMEOUT|CLOSED)/.test(code) || err.name === 'SocketError' || /terminated|other side closed/i.test(String((e as Error).message));
}

function retryAfterMs(res: Response): number | undefined {
  const v = res.headers.get('retry-after');
  if (!v) return undefined;
  const s = Number(v);
  if (Number.isFinite(s)) return s * 1000;
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, t - Date.now()) : undefined;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

/**
 * Runs `attempt` until it succeeds, a non-transient error, or the retries run out. Used for whole
 * requests and for a download's resumed reads alike.
 */
export async function withRetries<T>(url: string, options: HttpOptions, attempt: (n: number) => Promise<T>): Promise<T> {
  const retries = options.retries ?? 4;
  let wait = options.backoffMs ?? 1000;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      if (n >= retries || !isTransient(e) || options.signal?.aborted) throw e;
      const hinted = (e as { retryAfterMs?: number }).retryAfterMs;
      const ms = Math.min(60_000, hinted ?? wait * (0.75 + Math.random() * 0.5));
      options.onRetry?.({ url, attempt: n + 1, reason: e instanceof HttpError ? `HTTP ${e.status}` : String((e as Error).message), waitMs: Math.round(ms) });
      await sleep(ms, options.signal);
      wait *= 2;
    }
  }
}

/** One GET with a timeout; a transient status throws (with Retry-After) so withRetries tries again. */
export async function get(url: string, options: HttpOptions = {}, accept: (status: number) => boolean = (s) => s >= 200 && s < 300): Promise<Response> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const res = await fetch(url, { headers: { 'user-agent': 'Atalaya (forest and programme monitoring)', ...options.headers }, signal, dispatcher: proxyAware() });
  if (accept(res.status)) return res;
  const text = await res.text().catch(() => '');
  const error = new HttpError(url, res.status, `${url} answered HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  const hinted = retryAfterMs(res);
  if (hinted !== undefined) Object.assign(error, { retryAfterMs: hinted });
  throw error;
}

/** GET a JSON document, retrying what is worth retrying. */
export async function getJson(url: string, options: HttpOptions = {}): Promise<unknown> {
  return withRetries(url, options, async () => {
    const res = await get(url, options);
    const text = await res.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new HttpError(url, res.status, `${url} did not answer JSON (it began: ${JSON.stringify(text.slice(0, 80))})`);
    }
  });
}
