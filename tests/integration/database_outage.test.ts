// The real server, its PostgreSQL connection cut under load: backends killed with
// pg_terminate_backend, then the network to PostgreSQL down for seconds. The process stays up,
// answers 503 (database_unavailable, with Retry-After) only while the database is away, and serves
// again once it is back, reconnecting by itself. A PostGIS server only: the embedded database is a
// thread of the process, with no connection to lose.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { processes } from '../helpers/processes';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp_proxy';
import { createServerDatabase, testDatabaseKind } from '../helpers/test_database';

const { run, waitForOutput, killAll } = processes();
afterAll(killAll);

const onServer = testDatabaseKind() === 'server';
if (!onServer) console.log('database_outage.test.ts: skipped on the embedded database (it has no connection to lose; run with TEST_DATABASE_URL)');

type Sample = { at: number; url: string; status: number; code?: string; retryAfter: string | null };

describe.skipIf(!onServer)('the server when PostgreSQL goes away and comes back', () => {
  let proxy: TcpProxy;
  let directUrl = '';
  let server: ReturnType<typeof run>;
  let base = '';

  beforeAll(async () => {
    const target = inject('testDatabase')!;
    directUrl = await createServerDatabase(target.adminUrl, `${target.prefix}_outage`);
    const url = new URL(directUrl);
    proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    server = run('server/main.ts', [], { DATABASE_URL: url.toString(), ATALAYA_DEMO_DATA: 'false', PORT: '0', HOST: '127.0.0.1', ATALAYA_DATA_DIR: '/tmp/atalaya-outage-test' });
    const [, port] = await waitForOutput(server, /listening on http:\/\/localhost:(\d+)/, 120_000);
    base = `http://127.0.0.1:${port}`;
  }, 180_000);
  afterAll(async () => proxy?.close());

  function load(): { stop(): Promise<Sample[]> } {
    let running = true;
    const samples: Sample[] = [];
    const loops = ['/api/health', '/api/activities?limit=5', '/api/area-kinds', '/api/programme'].map(async (path) => {
      while (running) {
        const res = await fetch(base + path).catch(() => undefined);
        const body = res ? ((await res.json().catch(() => ({}))) as { error?: { code: string } }) : {};
        samples.push({ at: Date.now(), url: path, status: res?.status ?? 0, ...(body.error ? { code: body.error.code } : {}), retryAfter: res?.headers.get('retry-after') ?? null });
        await new Promise((r) => setTimeout(r, 25));
      }
    });
    return { stop: async () => ((running = false), await Promise.all(loops), samples) };
  }
  const alive = () => server.exitCode === null && server.signalCode === null;

  it('answers 503 while the database is away, never dies, and recovers by itself', async () => {
    const traffic = load();
    await new Promise((r) => setTimeout(r, 1500));

    // 1. Every backend of its database terminated (as pg_terminate_backend or a PostgreSQL restart does).
    const admin = new pg.Client({ connectionString: directUrl });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    await admin.end();
    await new Promise((r) => setTimeout(r, 1500));
    expect(alive()).toBe(true);

    // 2. The network to PostgreSQL down for 3 s.
    const cutAt = Date.now();
    proxy.cut();
    await new Promise((r) => setTimeout(r, 3000));
    expect(alive()).toBe(true);
    proxy.restore();
    const restoredAt = Date.now();
    await new Promise((r) => setTimeout(r, 4000));
    const samples = await traffic.stop();
    expect(alive()).toBe(true);

    // Only 200s and 503s, every 503 saying the database is unavailable, with a Retry-After.
    const statuses = new Set(samples.map((s) => s.status));
    expect([...statuses].sort()).toEqual([200, 503]);
    for (const s of samples.filter((x) => x.status === 503)) {
      expect(s.code).toBe('database_unavailable');
      expect(s.retryAfter).toBe('5');
    }
    // While cut, nothing that needs the database succeeded; 503s outside the cut only just after a kill or the restore.
    const duringCut = samples.filter((s) => s.at > cutAt + 200 && s.at < restoredAt);
    expect(duringCut.length).toBeGreaterThan(10);
    expect(duringCut.every((s) => s.status === 503)).toBe(true);
    // Recovered: the last second is all 200.
    const lastSecond = samples.filter((s) => s.at > Date.now() - 1000);
    expect(lastSecond.length).toBeGreaterThan(4);
    expect(lastSecond.every((s) => s.status === 200)).toBe(true);
  }, 60_000);
});
