// The embedded database as a user meets it: a process killed with SIGKILL loses nothing it
// committed, the real server starts again on the same folder, and a CLI run while the server holds
// the folder stops with a clear message instead of corrupting it.
import { signIn } from '../helpers/accounts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../helpers/test_database';
import { processes } from '../helpers/processes';

const { run, waitForOutput, exitOf, killAll } = processes();
afterAll(killAll);

describe.skipIf(testDatabaseKind() !== 'embedded')('embedded database across processes (embedded run only: a PostGIS server has its own durability and locking)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-durability-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  let committed = 0;

  it('keeps every commit of a process killed with SIGKILL', async () => {
    const writer = run('tests/helpers/durability_writer.ts', [dataDir], {});
    await waitForOutput(writer, /committed 25\n/);
    let last = 0;
    writer.stdout!.on('data', (c: Buffer) => {
      for (const m of c.toString().matchAll(/committed (\d+)/g)) last = Math.max(last, Number(m[1]));
    });
    writer.kill('SIGKILL');
    await new Promise((resolve) => writer.once('exit', resolve));
    committed = Math.max(25, last);
    expect(fs.existsSync(path.join(dataDir, 'atalaya.lock'))).toBe(true); // left behind by the killed process
  }, 120_000);

  it('starts the server again on the same folder with all committed rows, and a CLI run meanwhile stops with a clear message', async () => {
    // The first admin comes from the CLI, before the server holds the folder.
    const admin = { email: 'first.admin@test.example', password: 'a long enough password' };
    const created = await exitOf(run('scripts/user_admin.ts', ['--email', admin.email, '--name', 'First Admin'], { ATALAYA_DATA_DIR: dataDir, ATALAYA_ADMIN_PASSWORD: admin.password }));
    expect(created.code, created.output).toBe(0);
    expect(created.output).toMatch(/admin first.admin@test.example created/);
    const server = run('server/main.ts', [], { ATALAYA_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ATALAYA_DEMO_DATA: 'false' });
    const [, port] = await waitForOutput(server, /listening on http:\/\/localhost:(\d+)/);
    // Signed in like the client, the admin makes a personal API token for the CLI.
    const session = await signIn(`http://127.0.0.1:${port}`, admin);
    const tokenRes = await fetch(`http://127.0.0.1:${port}/api/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrfToken }, body: JSON.stringify({ name: 'cli' }) });
    expect(tokenRes.status).toBe(201);
    const { token } = (await tokenRes.json()) as { token: string };
    const res = await fetch(`http://127.0.0.1:${port}/api/activities?limit=1`);
    const body = (await res.json()) as { numberMatched: number };
    expect(body.numberMatched).toBeGreaterThanOrEqual(committed);

    const blocked = await exitOf(run('scripts/db_migrate.ts', [], { ATALAYA_DATA_DIR: dataDir }));
    expect(blocked.code).toBe(1);
    expect(blocked.output).toContain(`in use by process ${server.pid}`);
    expect(blocked.output).toContain(`http://localhost:${port}`);
    expect(blocked.output).toMatch(/Stop that process first/);

    // An import goes through the running server with an API token, and says why not without one.
    const geojson = path.join(dataDir, 'square.geojson');
    fs.writeFileSync(geojson, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'SQ' }, geometry: { type: 'Polygon', coordinates: [[[-70, -12], [-69, -12], [-69, -11], [-70, -12]]] } }] }));
    const refused = await exitOf(run('scripts/import.ts', [geojson, '--kind', 'protected_area', '--id-field', 'code'], { ATALAYA_DATA_DIR: dataDir, ATALAYA_API_TOKEN: '' }));
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/Set ATALAYA_API_TOKEN/);
    const through = await exitOf(run('scripts/import.ts', [geojson, '--kind', 'protected_area', '--id-field', 'code'], { ATALAYA_DATA_DIR: dataDir, ATALAYA_API_TOKEN: token }));
    expect(through.code, through.output).toBe(0);
    expect(through.output).toMatch(/importing through it/);
    const areas = (await (await fetch(`http://127.0.0.1:${port}/api/areas?kind=protected_area`)).json()) as { numberMatched: number };
    expect(areas.numberMatched).toBe(1);

    const stopped = exitOf(server);
    server.kill('SIGTERM');
    expect((await stopped).code).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'atalaya.lock'))).toBe(false);

    const migrate = await exitOf(run('scripts/db_migrate.ts', [], { ATALAYA_DATA_DIR: dataDir }));
    expect(migrate.code, migrate.output).toBe(0);
    expect(migrate.output).toContain('schema already at the latest migration');
  }, 180_000);
});
