// Availability under hostile and heavy work (issue: no single request takes Atalaya down), on the
// real server process as `npm start` runs it:
//  - import: a 50,000-feature upload over HTTP while health, vector tiles, raster tiles and
//    database reads are polled; their latencies against the same polls on the idle server.
//  - stars: the probe's star polygons (10k, 46k, 200k vertices) alone and five at once, public and
//    admin; each answer's status and time, and the polls' latencies meanwhile.
//  - restart (PostGIS server only, with --restart: it restarts the machine's PostgreSQL cluster):
//    60 s of polling with `pg_ctlcluster 15 main restart` after 20 s; statuses over time.
// usage: npm run bench -- tests/bench/availability.bench.ts [--scenario import|stars|restart|all]
//        [--features 50000] [--database-url postgres://... (an empty database: the demo loads)] [--restart]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { starPolygon } from '../helpers/star_polygon';
import { writeConcessionsGeoJson } from './generate_concessions';
import { median, recordResult } from './report';
import { startBenchServer } from './bench_server';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'all' },
    features: { type: 'string', default: '50000' },
    'database-url': { type: 'string', default: '' },
    restart: { type: 'boolean', default: false },
  },
});
const databaseUrl = values['database-url'] ?? '';
const database = databaseUrl ? 'server' : 'embedded';
const scenarios = values.scenario === 'all' ? ['stars', 'import', ...(values.restart ? ['restart'] : [])] : [values.scenario!];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-bench-avail-'));
const env = { ...process.env, DATABASE_URL: databaseUrl, ATALAYA_DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ATALAYA_DEMO_DATA: 'true' };
const admin = { email: 'avail.admin@bench.example', password: 'a long enough password' };

type Sample = { at: number; ms: number; status: number };

/** Polls each path back to back (one request in flight per path, 50 ms apart) until stopped. */
function poll(base: string, paths: Record<string, string | (() => string)>) {
  let running = true;
  const samples: Record<string, Sample[]> = {};
  const loops = Object.entries(paths).map(async ([name, p]) => {
    samples[name] = [];
    while (running) {
      const url = base + (typeof p === 'function' ? p() : p);
      const t = performance.now();
      const res = await fetch(url).catch(() => undefined);
      await res?.arrayBuffer().catch(() => undefined);
      samples[name]!.push({ at: Date.now(), ms: performance.now() - t, status: res?.status ?? 0 });
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  return { stop: async () => ((running = false), await Promise.all(loops), samples) };
}

function summary(samples: Record<string, Sample[]>) {
  return Object.fromEntries(
    Object.entries(samples).map(([name, s]) => {
      const ms = s.map((x) => x.ms).sort((a, b) => a - b);
      const p99 = ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.99))] ?? NaN;
      const statuses: Record<string, number> = {};
      for (const x of s) statuses[x.status] = (statuses[x.status] ?? 0) + 1;
      return [name, { requests: s.length, p50Ms: +median(ms).toFixed(1), p99Ms: +p99.toFixed(1), maxMs: +(ms.at(-1) ?? NaN).toFixed(1), statuses }];
    }),
  );
}

const { base, token, process: server, stop } = await startBenchServer(env, 19500 + (process.pid % 400), { ...admin, name: 'Availability Admin' });
const results: Record<string, unknown> = { database };
try {
  // Vector tiles across the demo's extent, so many are not in the tile cache and need the database.
  let tileN = 0;
  const vectorTile = () => {
    tileN++;
    const z = 7 + (tileN % 3);
    const n = 2 ** z;
    const x = Math.floor(((-76 + (tileN % 9)) + 180) / 360 * n);
    const lat = (-6 - (tileN % 7)) * Math.PI / 180;
    const y = Math.floor((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2 * n);
    return `/tiles/forest_concession/${z}/${x}/${y}.mvt`;
  };
  const probes = {
    health: '/api/health',
    vectorTiles: vectorTile,
    rasterTile: '/tiles/rasters/demo_lossyear/10/313/548.png?from=2001&to=2023',
    areasRead: '/api/areas?kind=protected_area&limit=10',
    activitiesRead: '/api/activities?limit=20',
  };

  if (scenarios.includes('stars')) {
    const analyse = async (vertices: number, bufferM: number, asAdmin: boolean) => {
      const t = performance.now();
      const res = await fetch(`${base}/api/analysis/loss`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(asAdmin ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ geometry: starPolygon(vertices), buffer_m: bufferM }),
      });
      const body = (await res.json()) as { error?: { code: string } };
      return { vertices, bufferM, by: asAdmin ? 'admin' : 'public', status: res.status, code: body.error?.code ?? 'ok', seconds: +((performance.now() - t) / 1000).toFixed(2) };
    };
    const cases: [number, number, boolean][] = [[10_000, 0, false], [10_000, 5000, false], [46_000, 0, false], [46_000, 0, true], [46_000, 5000, true], [200_000, 0, true]];
    const alone = [];
    const during = poll(base, probes);
    for (const c of cases) alone.push(await analyse(...c));
    const together = await Promise.all(cases.slice(0, 5).map((c) => analyse(...c)));
    results.stars = { alone, together, polls: summary(await during.stop()) };
    console.log(JSON.stringify(results.stars, null, 2));
  }

  if (scenarios.includes('import')) {
    const idle = poll(base, probes);
    await new Promise((r) => setTimeout(r, 15_000));
    const idleSummary = summary(await idle.stop());
    const count = Number(values.features);
    const file = path.join(dataDir, 'big.geojson');
    await writeConcessionsGeoJson(file, count, 11, 8); // 33 vertices a parcel, about 1.1 kB a feature
    const form = new FormData();
    form.set('target', 'areas');
    form.set('kind', 'glacier_highland');
    form.set('idField', 'code');
    form.set('file', new Blob([fs.readFileSync(file)]), 'big.geojson');
    const busy = poll(base, probes);
    const t = performance.now();
    const res = await fetch(`${base}/api/imports`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
    const report = (await res.json()) as { inserted?: number; error?: unknown };
    const importSeconds = (performance.now() - t) / 1000;
    const busySummary = summary(await busy.stop());
    results.import = { features: count, status: res.status, inserted: report.inserted, seconds: +importSeconds.toFixed(1), idle: idleSummary, duringImport: busySummary };
    console.log(JSON.stringify(results.import, null, 2));
  }

  if (scenarios.includes('restart')) {
    if (!databaseUrl) throw new Error('the restart scenario needs --database-url (a PostGIS server to restart)');
    const traffic = poll(base, { health: '/api/health', areasRead: '/api/areas?kind=protected_area&limit=10', activitiesRead: '/api/activities?limit=20', rasterTile: probes.rasterTile });
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 20_000));
    const down = Date.now();
    // Asynchronously: the polls go on while PostgreSQL is down.
    const restart = spawn('pg_ctlcluster', ['--skip-systemctl-redirect', '15', 'main', 'restart'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    restart.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((res) => restart.once('exit', res));
    const up = Date.now();
    if (code !== 0) throw new Error(`pg_ctlcluster restart failed: ${stderr}`);
    await new Promise((res) => setTimeout(res, Math.max(0, 60_000 - (Date.now() - started))));
    const samples = await traffic.stop();
    const all = Object.values(samples).flat();
    const unavailable = all.filter((s) => s.status === 503);
    const lastBad = Math.max(...unavailable.map((s) => s.at), down);
    results.restart = {
      seconds: 60,
      restartTookMs: up - down,
      serverAlive: server.exitCode === null,
      statuses: Object.fromEntries([...new Set(all.map((s) => s.status))].map((s) => [s, all.filter((x) => x.status === s).length])),
      first503AfterRestartBeganMs: unavailable.length ? Math.min(...unavailable.map((s) => s.at)) - down : null,
      lastUnavailableMsAfterRestartEnded: lastBad - up,
      polls: summary(samples),
    };
    console.log(JSON.stringify(results.restart, null, 2));
  }
  recordResult(`availability-${database}`, results);
} finally {
  await stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
