// The real server killed with SIGKILL in the middle of work: first while the start-up statistics
// batch runs, then in the middle of a large import over HTTP. After each restart nothing is
// half-written: the import left no row at all, and the statistics job resumed and finished with
// every series whole. On the embedded database in its folder, and on the PostGIS server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signIn } from '../helpers/accounts';
import { processes } from '../helpers/processes';
import { createServerDatabase, testDatabaseKind } from '../helpers/test_database';

const { run, waitForOutput, exitOf, killAll } = processes();
afterAll(killAll);

type Job = { id: number; status: string; done: number; total: number; message: string | null };

describe(`the server killed mid-work (${testDatabaseKind()} database)`, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-fault-'));
  const env: Record<string, string> = { ATALAYA_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  const admin = { email: 'fault.admin@test.example', password: 'a long enough password' };
  let server: ReturnType<typeof run> | undefined;
  let base = '';

  beforeAll(async () => {
    const target = inject('testDatabase');
    // A database of its own on the server, dropped with the others at the end of the run.
    if (target) env.DATABASE_URL = await createServerDatabase(target.adminUrl, `${target.prefix}_fault`);
    const created = await exitOf(run('scripts/user_admin.ts', ['--email', admin.email, '--name', 'Fault Admin'], { ...env, ATALAYA_ADMIN_PASSWORD: admin.password }));
    expect(created.code, created.output).toBe(0);
  }, 120_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  async function start(demo: boolean): Promise<void> {
    server = run('server/main.ts', [], { ...env, ATALAYA_DEMO_DATA: String(demo) });
    const [, port] = await waitForOutput(server, /listening on http:\/\/localhost:(\d+)/, 240_000);
    base = `http://127.0.0.1:${port}`;
  }
  const kill = async () => {
    const exited = new Promise((r) => server!.once('exit', r));
    server!.kill('SIGKILL');
    await exited;
  };
  const json = async <T>(p: string, init?: RequestInit): Promise<T> => (await (await fetch(`${base}${p}`, init)).json()) as T;
  const jobs = async () => {
    const r = await fetch(`${base}/api/jobs/1`);
    return r.ok ? ((await r.json()) as Job) : undefined;
  };

  it('resumes a statistics batch the kill interrupted, and finishes it whole', async () => {
    await start(true); // the first start loads the demo data, then runs the statistics batch
    // Kill once the batch has computed some series but not all.
    for (let i = 0; ; i++) {
      const j = await jobs();
      if (j && j.status === 'running' && j.done > 0 && j.done < j.total) break;
      expect(j?.status === 'done', 'the batch finished before it could be interrupted').toBe(false);
      expect(i).toBeLessThan(2400);
      await new Promise((r) => setTimeout(r, 50));
    }
    const interrupted = (await jobs())!;
    await kill();
    await start(false);
    for (let i = 0; ; i++) {
      const j = (await jobs())!;
      if (j.status === 'done') break;
      expect(j.status).not.toBe('failed');
      expect(i).toBeLessThan(1200);
      await new Promise((r) => setTimeout(r, 100));
    }
    const job = (await jobs())!;
    // Resumed, it had only what the killed run had not stored left to do: its parts carried on, the
    // series already stored were not computed again.
    expect(job.done).toBe(job.total);
    expect(job.total).toBe(interrupted.total);
    const computed = [...(job.message ?? '').matchAll(/(\d+) computed/g)].reduce((s, m) => s + Number(m[1]), 0);
    expect(computed).toBeGreaterThan(0);
    expect(computed).toBeLessThan(job.total);
    // Every concession and protected area has its whole series: 23 years, forest and area.
    const { items: rows } = await json<{ items: { years: { year: number }[] }[] }>('/api/statistics?subject=area');
    const kinds = await json<{ code: string; count: number }[]>('/api/area-kinds');
    expect(rows.length).toBe(kinds.reduce((s, k) => s + k.count, 0));
    expect(rows.every((r) => r.years.length === rows[0]!.years.length && r.years.length >= 20)).toBe(true);
  }, 400_000);

  it('leaves nothing of an import the kill interrupted', async () => {
    const session = await signIn(base, admin);
    const tokenRes = await fetch(`${base}/api/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrfToken }, body: JSON.stringify({ name: 'fault test' }) });
    const { token } = (await tokenRes.json()) as { token: string };
    // 40,000 small squares: far more than an import does in the few seconds before the kill.
    const features = Array.from({ length: 40_000 }, (_, i) => {
      const x = -75 + (i % 200) * 0.01, y = -10 + Math.floor(i / 200) * 0.01;
      return { type: 'Feature', properties: { code: `K${i}`, name: `Killed ${i}` }, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.008, y], [x + 0.008, y + 0.008], [x, y + 0.008], [x, y]]] } };
    });
    const form = new FormData();
    form.set('target', 'areas');
    form.set('kind', 'protected_area');
    form.set('idField', 'code');
    form.set('nameField', 'name');
    form.set('file', new Blob([JSON.stringify({ type: 'FeatureCollection', features })]), 'killed.geojson');
    const before = await json<{ numberMatched: number }>('/api/areas?kind=protected_area&limit=1');
    const importing = fetch(`${base}/api/imports`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } }).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 3000));
    await kill();
    expect(await importing).toBeInstanceOf(Error); // the connection died with the process: no answer
    await start(false);
    const after = await json<{ numberMatched: number }>('/api/areas?kind=protected_area&limit=1');
    expect(after.numberMatched).toBe(before.numberMatched);
    const sources = await json<{ fileName: string }[]>('/api/imports');
    expect(sources.map((s) => s.fileName)).not.toContain('killed.geojson');
    const stopped = exitOf(server!);
    server!.kill('SIGTERM');
    expect((await stopped).code).toBe(0);
  }, 300_000);
});
