import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { Role } from '../../server/api';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { DatabaseHandle } from '../../server/db/database';
import { createLogger } from '../../server/log';
import { createTestUser } from './accounts';
import { getTestDatabase, resetData } from './test_database';

export interface TestApp {
  baseUrl: string;
  close(): Promise<void>;
  // Tests read answers by their documented shape; each asserts what it reads.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  get(path: string): Promise<{ status: number; body: any; headers: Headers }>;
}

/** The real Express app on an ephemeral port over the given database. */
export async function startTestApp(database: DatabaseHandle, env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const app = createApp({ config, database, log: createLogger(config) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await (app.locals.analysis as { close(): Promise<void> }).close();
    },
    async get(path) {
      const res = await fetch(baseUrl + path);
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body, headers: res.headers };
    },
  };
}

export interface TestAppSetup {
  /** Fills the emptied database before the app starts (a fixture from grid_fixture.ts, say). */
  seed?: (database: DatabaseHandle) => Promise<unknown>;
  /** A signed-in user of this role whose API token is `token`. */
  user?: Role;
  /** Configuration for the app, as environment variables. */
  env?: Record<string, string>;
  /** After the app started: warm a cache, make more users. */
  then?: (t: TestAppContext) => Promise<unknown>;
}

export interface TestAppContext {
  database: DatabaseHandle;
  app: TestApp;
  /** The API token of `setup.user` ('' without one). */
  token: string;
}

/**
 * The set-up most integration files share, as vitest hooks: this worker's test database emptied
 * and seeded, a user with a token, the real app on an ephemeral port, closed after the file. The
 * fields are filled by the time the file's tests run.
 */
export function useTestApp(setup: TestAppSetup = {}, timeoutMs?: number): TestAppContext {
  const t = { token: '' } as TestAppContext;
  beforeAll(async () => {
    t.database = await getTestDatabase();
    await resetData(t.database);
    await setup.seed?.(t.database);
    if (setup.user) t.token = (await createTestUser(t.database, setup.user)).token;
    t.app = await startTestApp(t.database, setup.env);
    await setup.then?.(t);
  }, timeoutMs);
  afterAll(async () => t.app?.close());
  return t;
}
