// Slow queries of an HTTP request are stopped by statement_timeout (ATALAYA_STATEMENT_TIMEOUT_MS),
// answered with a 503 that says what to do, while jobs and imports run without it. The embedded
// PostGIS (PGlite, single-threaded WebAssembly) has no timer to interrupt a query: there the
// setting is accepted and has no effect, which this test records too.
import { sql } from 'kysely';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runAsBackground, runWithContext } from '../../server/request_context';
import { errorMiddleware } from '../../server/routes/errors.middleware';
import { getTestDatabase, testDatabaseKind } from '../helpers/test_database';

describe(`statement timeout on the ${testDatabaseKind()} database`, () => {
  it('stops a slow request query with a 503 on a PostGIS server, never a background one', async () => {
    const db = (await getTestDatabase()).db;
    const app = express();
    app.get('/slow', async (_req, res) => {
      await runWithContext({ statementTimeoutMs: 200 }, () => sql`SELECT pg_sleep(1.5)`.execute(db));
      res.json({ ok: true });
    });
    app.use(errorMiddleware);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`);
      if (testDatabaseKind() === 'server') {
        expect(res.status).toBe(503);
        expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/took too long/);
      } else {
        expect(res.status).toBe(200); // PGlite cannot interrupt a running query
      }
      // A job started from that request keeps the actor but has no timeout.
      const background = await runWithContext({ statementTimeoutMs: 200 }, () => runAsBackground(() => sql`SELECT pg_sleep(0.4)`.execute(db)).then(() => 'done'));
      expect(background).toBe('done');
    } finally {
      server.close();
    }
  });
});
