import path from 'node:path';
import { z } from 'zod';
import { Cron } from 'croner';
import { DEFAULT_GEOMETRY_TIME_LIMIT_MS } from './geometry/limits';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);

const envSchema = z.object({
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')
      .optional(),
  ),
  ATALAYA_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./var')),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(8080)),
  HOST: z.preprocess(emptyAsUndefined, z.string().default('0.0.0.0')),
  ATALAYA_DEMO_DATA: z.preprocess(emptyAsUndefined, booleanFromEnv.default(true)),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  DATABASE_POOL_SIZE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(200).default(10)),
  // Accounts replaced the shared admin token: a server still configured with it says what to do instead.
  ATALAYA_ADMIN_TOKEN: z.preprocess(emptyAsUndefined, z.undefined({ error: 'is replaced by accounts: create an admin with `npm run user:admin`, sign in, make a personal API token, and give it to CLI commands as ATALAYA_API_TOKEN' }).optional()),
  ATALAYA_API_TOKEN: z.preprocess(emptyAsUndefined, z.string().regex(/^atk_[A-Za-z0-9_-]{20,}$/, 'is a personal API token (atk_...) from POST /api/auth/tokens').optional()),
  ATALAYA_SITE_BUFFER_M: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(100_000).default(5000)),
  ATALAYA_TILE_CACHE_ENTRIES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(1_000_000).default(4000)),
  ATALAYA_BASEMAP_PMTILES: z.preprocess(emptyAsUndefined, z.string().regex(/\.pmtiles$/, 'must be the path of a .pmtiles file').optional()),
  ATALAYA_BASEMAP_FLAVOR: z.preprocess(emptyAsUndefined, z.enum(['light', 'dark', 'white', 'grayscale', 'black']).default('light')),
  ATALAYA_BASEMAP_STYLE_URL: z.preprocess(emptyAsUndefined, z.string().url('must be a style URL').optional()),
  ATALAYA_STATEMENT_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(3_600_000).default(20_000)),
  ATALAYA_LOGIN_ATTEMPTS_PER_15_MIN: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(10_000).default(10)),
  ATALAYA_COOKIE_SECURE: z.preprocess(emptyAsUndefined, booleanFromEnv.optional()),
  ATALAYA_GEOMETRY_TIME_LIMIT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(600_000).default(DEFAULT_GEOMETRY_TIME_LIMIT_MS)),
  ATALAYA_MAX_UPLOAD_MB: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(100_000).default(512)),
  ATALAYA_FETCH_SCHEDULE: z.preprocess(emptyAsUndefined, z.string().refine(isCronPattern, 'is a cron pattern, e.g. "0 3 * * 1" (Mondays at 03:00)').optional()),
  ATALAYA_FETCH_SOURCES: z.preprocess(emptyAsUndefined, z.string().regex(/^[a-z0-9_-]+(,[a-z0-9_-]+)*$/, 'is a comma-separated list of source ids (npm run fetch -- --list)').optional()),
  ATALAYA_FETCH_BBOX: z.preprocess(emptyAsUndefined, z.string().regex(/^-?[\d.]+,-?[\d.]+,-?[\d.]+,-?[\d.]+$/, 'is west,south,east,north in degrees').optional()),
  ATALAYA_SMTP_URL: z.preprocess(emptyAsUndefined, z.string().regex(/^smtps?:\/\//, 'is an smtp:// or smtps:// URL, e.g. smtps://user:password@mail.example.org:465').optional()),
  ATALAYA_MAIL_FROM: z.preprocess(emptyAsUndefined, z.string().min(3).default('Atalaya <alerts@atalaya.localhost>')),
  ATALAYA_PUBLIC_URL: z.preprocess(emptyAsUndefined, z.string().url('is the address users open Atalaya at, e.g. https://atalaya.example.org').optional()),
  ATALAYA_DIGEST_SCHEDULE: z.preprocess(emptyAsUndefined, z.string().refine((v) => v === 'off' || isCronPattern(v), 'is a cron pattern (e.g. "0 6 * * *", every day at 06:00) or off').default('0 6 * * *')),
  ATALAYA_WEBHOOK_PRIVATE_HOSTS: z.preprocess(emptyAsUndefined, booleanFromEnv.default(false)),
  ATALAYA_PHOTO_STORE: z.preprocess(emptyAsUndefined, z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'is s3://bucket/prefix (unset: photos under ATALAYA_DATA_DIR/field-photos)').optional()),
  ATALAYA_RASTER_STORE: z.preprocess(emptyAsUndefined, z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'is s3://bucket/prefix (unset: raster layers under ATALAYA_DATA_DIR/rasters)').optional()),
  ATALAYA_RASTER_CACHE_MB: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(8).max(1_000_000).default(256)),
  ATALAYA_FIELD_ACCURACY_M: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(10_000).default(50)),
  ATALAYA_JOB_QUEUE: z.preprocess(emptyAsUndefined, z.enum(['in-process', 'postgres']).default('in-process')),
  ATALAYA_PART_TIMEOUT_S: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(5).max(86_400).default(600)),
  ATALAYA_ANALYSIS_THREADS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(256).optional()),
  ATALAYA_JOB_TIMEOUT_S: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(60).max(7 * 86_400).default(6 * 3600)),
}).refine((e) => e.ATALAYA_JOB_QUEUE !== 'postgres' || e.DATABASE_URL, { message: 'ATALAYA_JOB_QUEUE=postgres needs DATABASE_URL: the queue lives in the PostgreSQL server the workers share (the embedded database has one process)', path: ['ATALAYA_JOB_QUEUE'] }).refine((e) => !e.ATALAYA_FETCH_SCHEDULE || e.ATALAYA_FETCH_SOURCES, { message: 'ATALAYA_FETCH_SCHEDULE needs ATALAYA_FETCH_SOURCES: the sources to refresh', path: ['ATALAYA_FETCH_SOURCES'] });

/** Whether croner reads the pattern (a schedule that never fires is refused at start, not found out a week later). */
function isCronPattern(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

export interface Config {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  readonly demoData: boolean;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  readonly databasePoolSize: number;
  /** A personal API token the CLI commands send when they work through a running server. */
  readonly apiToken: string | undefined;
  readonly maxUploadBytes: number;
  /** Default buffer around sites and activities for loss statistics, metres. */
  readonly siteBufferM: number;
  /** Vector tiles kept in memory (gzipped), per layer version; 0 turns the cache off. */
  readonly tileCacheEntries: number;
  /** Longest a database statement of an HTTP request may run (0 = no limit); jobs and imports have none. */
  readonly statementTimeoutMs: number;
  readonly loginAttemptsPer15Min: number;
  /** Longest the repair and buffering of one user geometry may take before its worker is stopped (422). */
  readonly geometryTimeLimitMs: number;
  /** Secure flag of the session cookie; unset = when the request came over HTTPS. */
  readonly cookieSecure: boolean | undefined;
  /** The basemap: a local PMTiles file (Protomaps schema), an online style URL, or Natural Earth (neither set). */
  readonly basemap: { pmtiles: string | undefined; flavor: 'light' | 'dark' | 'white' | 'grayscale' | 'black'; styleUrl: string | undefined };
  /** The scheduled refresh of real sources: off unless a cron pattern is set. */
  readonly fetch: { schedule: string | undefined; sources: string[]; bbox: [number, number, number, number] | undefined };
  /**
   * Alert digests: when the job runs (undefined = never; users are due by their own daily or weekly
   * choice), the SMTP server (no e-mail without it; the feed and webhooks work anyway), the sender,
   * the address links in messages point to, and whether webhooks may call private addresses.
   */
  /** Field reports: the worst device position accuracy (metres) a report may carry. */
  readonly fieldAccuracyLimitM: number;
  /** Field report photos in S3-compatible storage (s3://bucket/prefix); undefined: under dataDir. */
  readonly photoStore: string | undefined;
  /**
   * Where jobs run: 'in-process' (this process works its queue) or 'postgres' (a queue in the
   * database: web servers only enqueue, `npm run worker` processes work), with the time after which
   * a part or a job whose worker stopped answering is given to another.
   */
  readonly jobs: { queue: 'in-process' | 'postgres'; partTimeoutS: number; jobTimeoutS: number };
  /** Threads for statistics batches in this process (default: every core; 1 when several workers share a machine's cores). */
  readonly analysisThreads: number | undefined;
  readonly digests: { schedule: string | undefined; smtpUrl: string | undefined; mailFrom: string; publicUrl: string; webhookPrivateHosts: boolean };
}

export class ConfigError extends Error {}

/** Validates the environment once at start-up; throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration (see .env.example): ${problems}`);
  }
  const e = parsed.data;
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(cwd, e.ATALAYA_DATA_DIR),
    port: e.PORT,
    host: e.HOST,
    demoData: e.ATALAYA_DEMO_DATA,
    logLevel: e.LOG_LEVEL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    apiToken: e.ATALAYA_API_TOKEN,
    maxUploadBytes: Math.round(e.ATALAYA_MAX_UPLOAD_MB * 1024 * 1024),
    siteBufferM: e.ATALAYA_SITE_BUFFER_M,
    fieldAccuracyLimitM: e.ATALAYA_FIELD_ACCURACY_M,
    photoStore: e.ATALAYA_PHOTO_STORE,
    analysisThreads: e.ATALAYA_ANALYSIS_THREADS,
    jobs: { queue: e.ATALAYA_JOB_QUEUE, partTimeoutS: e.ATALAYA_PART_TIMEOUT_S, jobTimeoutS: e.ATALAYA_JOB_TIMEOUT_S },
    tileCacheEntries: e.ATALAYA_TILE_CACHE_ENTRIES,
    statementTimeoutMs: e.ATALAYA_STATEMENT_TIMEOUT_MS,
    loginAttemptsPer15Min: e.ATALAYA_LOGIN_ATTEMPTS_PER_15_MIN,
    geometryTimeLimitMs: e.ATALAYA_GEOMETRY_TIME_LIMIT_MS,
    cookieSecure: e.ATALAYA_COOKIE_SECURE,
    basemap: { pmtiles: e.ATALAYA_BASEMAP_PMTILES ? path.resolve(cwd, e.ATALAYA_BASEMAP_PMTILES) : undefined, flavor: e.ATALAYA_BASEMAP_FLAVOR, styleUrl: e.ATALAYA_BASEMAP_STYLE_URL },
    digests: {
      schedule: e.ATALAYA_DIGEST_SCHEDULE === 'off' ? undefined : e.ATALAYA_DIGEST_SCHEDULE,
      smtpUrl: e.ATALAYA_SMTP_URL,
      mailFrom: e.ATALAYA_MAIL_FROM,
      publicUrl: (e.ATALAYA_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
      webhookPrivateHosts: e.ATALAYA_WEBHOOK_PRIVATE_HOSTS,
    },
    fetch: { schedule: e.ATALAYA_FETCH_SCHEDULE, sources: e.ATALAYA_FETCH_SOURCES?.split(',') ?? [], bbox: e.ATALAYA_FETCH_BBOX ? (e.ATALAYA_FETCH_BBOX.split(',').map(Number) as [number, number, number, number]) : undefined },
  });
}

/** The config as it may be logged: the database password never appears. */
export function redactedConfig(config: Config): Record<string, unknown> {
  return { ...config, databaseUrl: config.databaseUrl ? redactUrl(config.databaseUrl) : undefined, apiToken: config.apiToken ? '***' : undefined, digests: { ...config.digests, smtpUrl: config.digests.smtpUrl ? redactUrl(config.digests.smtpUrl) : undefined } };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
