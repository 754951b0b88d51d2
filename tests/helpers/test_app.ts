import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { DatabaseHandle } from '../../server/db/database';
import { createLogger } from '../../server/log';

export interface TestApp {
  baseUrl: string;
  close(): Promise<void>;
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
