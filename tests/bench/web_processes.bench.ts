// Vector tile throughput with one and with two web processes (`npm start` twice against one PostGIS,
// as behind a load balancer; tile cache off, so every request renders), 8 connections, against
// pgbench running the same ST_AsMVT SQL with 8 clients. The targets: two processes >= 1.6x
// one, and two processes >= 0.85x pgbench. On this 2-core machine the load generator, both servers
// and PostgreSQL share the cores.
// usage: npm run bench -- tests/bench/web_processes.bench.ts [--concessions 20000] [--seconds 5]
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { mvtQuery } from '../../server/db/tiles/mvt_sql';
import type { TileLayer } from '../../server/db/tiles/mvt_layers';
import { seedBenchVectors } from './bench_vectors';
import { throwawayDatabase } from './bench_database';
import { recordResult } from './report';

const { values } = parseArgs({ options: { concessions: { type: 'string', default: '20000' }, seconds: { type: 'string', default: '5' } } });
const nConcessions = Number(values.concessions);
const seconds = Number(values.seconds);
const CONNECTIONS = 8;
const PGBENCH = fs.existsSync('/usr/lib/postgresql/15/bin/pgbench') ? '/usr/lib/postgresql/15/bin/pgbench' : 'pgbench';
const LAYERS: [string, TileLayer][] = [
  ['forest_concession', { kind: 'areas', areaKind: 'forest_concession' }],
  ['protected_area', { kind: 'areas', areaKind: 'protected_area' }],
  ['sites', { kind: 'sites' }],
];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-bench-web-'));
const bench = await throwawayDatabase('web');
const children: ChildProcess[] = [];

function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}
const centre: [number, number] = [-76 + Math.min(200, nConcessions) * 0.02 + 0.016, -4 - Math.ceil(nConcessions / 200) * 0.02 - 0.016];

async function startServer(port: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, DATABASE_URL: bench.url, PORT: String(port), LOG_LEVEL: 'warn', ATALAYA_DATA_DIR: path.join(work, 'var'), ATALAYA_TILE_CACHE_ENTRIES: '0', ATALAYA_DEMO_DATA: 'false', ATALAYA_JOB_QUEUE: 'postgres', DATABASE_POOL_SIZE: '8' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  for (let i = 0; i < 480; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not start');
}

try {
  await seedBenchVectors(bench.database.db, { concessions: nConcessions, protected: 300, sites: 5000 });
  await sql`SELECT atalaya_generalise_areas(ARRAY(SELECT id FROM area))`.execute(bench.database.db);
  await sql`ANALYZE`.execute(bench.database.db);
  const port = 19_000 + (process.pid % 1000);
  // One after the other: the first start migrates; the second finds it done.
  await startServer(port);
  await startServer(port + 1);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const get = (u: string) =>
    new Promise<void>((resolve, reject) => {
      http.get(u, { agent }, (r) => {
        r.resume();
        r.on('end', () => (r.statusCode === 200 || r.statusCode === 204 ? resolve() : reject(new Error(`${u}: ${r.statusCode}`))));
      }).on('error', reject);
    });
  const results: Record<string, unknown>[] = [];
  for (const z of [10, 14]) {
    const [x0, y0] = tileOf(centre[0], centre[1], z);
    const jobs = [[x0, y0], [x0 + 1, y0], [x0, y0 + 1]].flatMap(([x, y]) => LAYERS.map(([name, layer]) => ({ name, layer, x: x!, y: y! })));
    const run = async (ports: number[]) => {
      let done = 0;
      const until = performance.now() + seconds * 1000;
      await Promise.all(Array.from({ length: CONNECTIONS }, async (_, c) => {
        const at = ports[c % ports.length]!; // connections spread over the processes, as a load balancer does
        for (let i = c; performance.now() < until; i++) {
          const j = jobs[i % jobs.length]!;
          await get(`http://127.0.0.1:${at}/tiles/${j.name}/${z}/${j.x}/${j.y}.mvt`);
          done++;
        }
      }));
      return done / seconds;
    };
    await run([port, port + 1]); // warm both
    const one = await run([port]);
    const two = await run([port, port + 1]);
    const files = jobs.map((j, i) => {
      const c = mvtQuery(j.layer, j.name, z, j.x, j.y).compile(bench.database.db);
      const text = c.sql.replace(/\$(\d+)/g, (_m, k: string) => {
        const v = c.parameters[Number(k) - 1];
        return typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
      });
      const f = path.join(work, `z${z}-${i}.sql`);
      fs.writeFileSync(f, `${text.replace(/\s+/g, ' ')};`);
      return f;
    });
    const out = execFileSync(PGBENCH, ['-n', ...files.flatMap((f) => ['-f', f]), '-c', String(CONNECTIONS), '-j', '2', '-T', String(seconds), bench.url], { encoding: 'utf8' });
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
    results.push({ zoom: z, 'one process req/s': Math.round(one), 'two processes req/s': Math.round(two), 'two/one': +(two / one).toFixed(2), 'pgbench tps (c=8)': Math.round(tps), 'two/pgbench': +(two / tps).toFixed(2) });
  }
  console.table(results);
  recordResult('web_processes', { concessions: nConcessions, connections: CONNECTIONS, seconds, cores: os.availableParallelism(), results, targets: { twoOverOne: 1.6, twoOverPgbench: 0.85 } });
} finally {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  await bench.drop();
  fs.rmSync(work, { recursive: true, force: true });
}
