// Load on loopback (issue: accounts and hardening): autocannon for 60 s against the real server as
// `npm start` runs it (embedded PostGIS, full demo data, signed-in writes with an API token), every
// connection cycling through vector tiles, raster tiles, API reads and writes. Reports requests/s,
// latency percentiles (p50, p99) overall and errors (socket errors, timeouts, non-2xx): target zero.
// usage: npm run bench -- tests/bench/load.bench.ts [--seconds 60] [--connections 10] [--database-url postgres://...]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { recordResult } from './report';
import { startBenchServer } from './bench_server';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, connections: { type: 'string', default: '10' }, 'database-url': { type: 'string', default: '' } } });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-bench-load-'));
const env = { ...process.env, DATABASE_URL: values['database-url'] ?? '', ATALAYA_DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1' };
const admin = { email: 'load.admin@bench.example', password: 'a long enough password' };

const { base, token, stop } = await startBenchServer(env, 19000 + (process.pid % 1000), { ...admin, name: 'Load Admin' });
try {
  const activities = ((await (await fetch(`${base}/api/activities?limit=100`)).json()) as { activities: { id: number }[] }).activities;
  const indicator = ((await (await fetch(`${base}/api/activities/${activities[0]!.id}/indicators`)).json()) as { indicators: { id: number; kind: string }[] }).indicators.find((i) => i.kind === 'manual');
  const areas = ((await (await fetch(`${base}/api/areas?kind=forest_concession&limit=20`)).json()) as { features: { id: number }[] }).features;
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let n = 0;
  const requests: autocannon.Request[] = [
    { method: 'GET', path: '/tiles/forest_concession/8/75/134.mvt' },
    { method: 'GET', path: '/tiles/protected_area/6/18/33.mvt' },
    { method: 'GET', path: '/tiles/sites/7/37/67.mvt' },
    { method: 'GET', path: '/tiles/rasters/demo_lossyear/10/313/548.png?from=2001&to=2023' },
    { method: 'GET', path: '/tiles/rasters/demo_lossyear/11/627/1096.png?from=2010&to=2020' },
    { method: 'GET', path: '/api/activities?limit=50' },
    { method: 'GET', path: '/api/sites' },
    { method: 'GET', path: `/api/areas/${areas[0]!.id}/loss` },
    { method: 'GET', path: '/api/search?q=tambo' },
    { method: 'GET', path: `/api/activities/${activities[1]!.id}` },
    { method: 'GET', path: '/api/programme/matrix' },
    // Writes, signed in with the API token: an activity edit and a new measurement.
    { method: 'POST', path: `/api/activities/${activities[2]!.id}`, headers: auth, setupRequest: (req) => ({ ...req, body: JSON.stringify({ summary: `Edited under load ${++n}` }) }) },
    ...(indicator ? [{ method: 'POST' as const, path: `/api/indicators/${indicator.id}/measurements`, headers: auth, setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ measured_at: '2024-12-31', value: ++n, published: false }) }) }] : []),
  ];
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  console.log(`autocannon: ${connections} connections, ${seconds} s, ${requests.length} requests in each connection's cycle`);
  const result = await autocannon({ url: base, connections, duration: seconds, requests });
  const summary = {
    seconds,
    connections,
    database: values['database-url'] ? 'server' : 'embedded',
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    mix: requests.map((r) => `${r.method} ${r.path}`),
  };
  console.log(`${summary.requests} requests, ${Math.round(summary.requestsPerSecond)} req/s; latency p50 ${summary.latencyMs.p50} ms, p90 ${summary.latencyMs.p90} ms, p99 ${summary.latencyMs.p99} ms, max ${summary.latencyMs.max} ms; errors ${summary.errors}, timeouts ${summary.timeouts}, non-2xx ${summary.non2xx}`);
  recordResult(`load-${summary.database}`, summary);
  if (summary.errors + summary.timeouts + summary.non2xx > 0) process.exitCode = 1;
} finally {
  await stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
