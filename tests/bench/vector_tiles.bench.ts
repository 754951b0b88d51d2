// Vector tiles per BENCH.md (a): Atalaya's /tiles/{layer}/{z}/{x}/{y}.mvt (a server process, tile
// cache off) against the same ST_AsMVT SQL run by pgbench (the floor), the same SQL on raw outlines
// (the naive way, z <= 8), and MapServer 8 (python3-mapscript in process) on the same tables.
// Three layers a tile: concessions, protected areas, sites. Then c=4 throughput against pgbench -c 4,
// and cached repeats against a bare node:http server sending the same bytes (the framework ceiling).
// usage: npm run bench -- tests/bench/vector_tiles.bench.ts [--concessions 20000] [--protected 300] [--sites 5000] [--rounds 7]
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/db/schema';
import { mvtQuery } from '../../server/db/tiles/mvt_sql';
import type { TileLayer } from '../../server/db/tiles/mvt_layers';
import { decodeMvt } from '../helpers/mvt_decode';
import { seedBenchVectors } from './bench_vectors';
import { throwawayDatabase } from './bench_database';
import { median, recordResult } from './report';

const { values } = parseArgs({ options: { concessions: { type: 'string', default: '20000' }, protected: { type: 'string', default: '300' }, sites: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '7' } } });
const [nConcessions, nProtected, nSites, rounds] = [values.concessions, values.protected, values.sites, values.rounds].map(Number) as [number, number, number, number];
const LAYERS: [string, TileLayer][] = [
  ['forest_concession', { kind: 'areas', areaKind: 'forest_concession' }],
  ['protected_area', { kind: 'areas', areaKind: 'protected_area' }],
  ['sites', { kind: 'sites' }],
];
const PGBENCH = fs.existsSync('/usr/lib/postgresql/15/bin/pgbench') ? '/usr/lib/postgresql/15/bin/pgbench' : 'pgbench';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-bench-mvt-'));

function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}
const ZOOMS = [6, 8, 10, 12, 14];
// Tiles around the middle of the concession grid (200 a row, 0.04 degrees apart from -76, -4).
const centre: [number, number] = [-76 + Math.min(200, nConcessions) * 0.02 + 0.016, -4 - Math.ceil(nConcessions / 200) * 0.02 - 0.016];
const tilesAt = (z: number): [number, number, number][] => {
  const [x, y] = tileOf(centre[0], centre[1], z);
  return [[z, x, y], [z, x + 1, y], [z, x, y + 1]];
};

const bench = await throwawayDatabase('mvt');
const { database, name: dbName } = bench;
const dbUrl = bench.url;
const url = new URL(dbUrl);
const db: Kysely<Database> = database.db;
const children: ChildProcess[] = [];
const cleanup = async () => {
  for (const c of children) c.kill('SIGTERM');
  await bench.drop();
  fs.rmSync(work, { recursive: true, force: true });
};

try {
  console.log(`generating ${nConcessions} concessions, ${nProtected} protected areas, ${nSites} sites ...`);
  await seedBenchVectors(db, { concessions: nConcessions, protected: nProtected, sites: nSites });
  await sql`SELECT atalaya_generalise_areas(ARRAY(SELECT id FROM area))`.execute(db);
  await sql`ANALYZE`.execute(db);

  /** The ST_AsMVT SQL of one layer tile with its parameters written in, for pgbench. */
  const inlineSql = (layer: TileLayer, name: string, z: number, x: number, y: number, naive = false) => {
    // The naive query is the same query on the raw outlines.
    const c = mvtQuery(layer, name, z, x, y, { rawOutlines: naive }).compile(db);
    return c.sql.replace(/\$(\d+)/g, (_m, i: string) => {
      const v = c.parameters[Number(i) - 1];
      return typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
    });
  };
  const script = (tiles: [number, number, number][], naive = false) => tiles.flatMap(([z, x, y]) => LAYERS.map(([name, layer]) => `${inlineSql(layer, name, z, x, y, naive).replace(/\s+/g, ' ')};`)).join('\n');
  const pgbench = (file: string, args: string[]) => {
    const out = execFileSync(PGBENCH, ['-n', '-f', file, ...args, dbUrl], { encoding: 'utf8' });
    return { latencyMs: Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]), tps: Number(/tps = ([\d.]+)/.exec(out)?.[1]) };
  };

  // Our server in its own process, as users run it, tile cache off: every request renders.
  const startServer = async (port: number, cacheEntries: number) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(port), LOG_LEVEL: 'warn', ATALAYA_DATA_DIR: path.join(work, `var-${port}`), ATALAYA_TILE_CACHE_ENTRIES: String(cacheEntries), DATABASE_POOL_SIZE: '4' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    for (let i = 0; i < 240; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
      } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('server did not start');
  };
  const port = 18_000 + (process.pid % 1000);
  await startServer(port, 0);
  const base = `http://127.0.0.1:${port}`;
  // node:http with keep-alive as the client (fetch adds about 0.3 ms a request of its own).
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const get = (u: string, headers: Record<string, string> = {}) =>
    new Promise<Uint8Array>((resolve, reject) => {
      http.get(u, { agent, headers }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
      }).on('error', reject);
    });
  const fetchTile = (name: string, z: number, x: number, y: number, at = `${base}/tiles`, ext = '.mvt') => get(`${at}/${name}/${z}/${x}/${y}${ext}`);
  // The framework floor: bare node:http + pg running the same SQL.
  const floorPort = port + 3;
  children.push(spawn(process.execPath, ['--import', 'tsx', path.join(path.dirname(new URL(import.meta.url).pathname), 'vector_tiles_node_floor.ts'), dbUrl, String(floorPort)], { stdio: 'inherit' }));
  await new Promise((r) => setTimeout(r, 1500));
  const nodeFloor = `http://127.0.0.1:${floorPort}`;

  // MapServer: all rounds of a zoom in one python process (warm medians per tile).
  const mapserver = (tiles: [number, number, number][]) => {
    const spec = path.join(work, 'ms.json');
    fs.writeFileSync(spec, JSON.stringify({ conn: `host=127.0.0.1 port=${url.port || 5432} dbname=${dbName} user=${url.username || 'postgres'}`, tiles, rounds, layers: LAYERS.map(([n]) => n) }));
    const r = spawnSync('/usr/bin/python3', [path.join(path.dirname(new URL(import.meta.url).pathname), 'vector_tiles_mapserver.py'), spec], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    if (r.status !== 0) return undefined;
    return JSON.parse(r.stdout) as Record<string, { ms: number; bytes: number; data: string }>;
  };

  const rows: Record<string, unknown>[] = [];
  for (const z of ZOOMS) {
    const tiles = tilesAt(z);
    // Equivalence first: our features per layer = the floor SQL's (decoded), and what MapServer sends.
    const counts = { ours: 0, floor: 0, mapserver: 0 };
    let maxBytes = 0;
    for (const [tz, x, y] of tiles) {
      for (const [name, layer] of LAYERS) {
        const mine = await fetchTile(name, tz, x, y);
        maxBytes = Math.max(maxBytes, mine.length);
        counts.ours += decodeMvt(mine)[name]?.length ?? 0;
        const floor = (await mvtQuery(layer, name, tz, x, y).execute(db)).rows[0]?.mvt;
        counts.floor += floor ? decodeMvt(new Uint8Array(floor))[name]?.length ?? 0 : 0;
      }
    }
    const ms = mapserver(tiles);
    if (ms) for (const t of Object.values(ms)) if (t.data) for (const f of Object.values(decodeMvt(Buffer.from(t.data, 'hex')))) counts.mapserver += f.length;
    const file = path.join(work, `z${z}.sql`);
    fs.writeFileSync(file, script(tiles));
    const naiveFile = path.join(work, `z${z}-naive.sql`);
    fs.writeFileSync(naiveFile, script(tiles, true));
    // c=1 latency of one tile (three layers): ours over HTTP, the floor through pgbench, alternating.
    const oursMs: number[] = [];
    const floorMs: number[] = [];
    const naiveMs: number[] = [];
    const nodeMs: number[] = [];
    const one = async (at?: string, ext?: string) => {
      const t = performance.now();
      for (const [tz, x, y] of tiles) for (const [name] of LAYERS) await fetchTile(name, tz, x, y, at, ext);
      return (performance.now() - t) / tiles.length;
    };
    await one();
    await one(nodeFloor, '');
    pgbench(file, ['-t', '2']);
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        oursMs.push(await one());
        floorMs.push(pgbench(file, ['-t', '3']).latencyMs / tiles.length);
      } else {
        floorMs.push(pgbench(file, ['-t', '3']).latencyMs / tiles.length);
        oursMs.push(await one());
      }
      nodeMs.push(await one(nodeFloor, ''));
      if (z <= 8) naiveMs.push(pgbench(naiveFile, ['-t', '1']).latencyMs / tiles.length);
    }
    const msMedian = ms ? median(Object.values(ms).map((t) => t.ms)) : null;
    const row = {
      zoom: z,
      'ours ms': +median(oursMs).toFixed(2),
      'SQL floor ms': +median(floorMs).toFixed(2),
      'ours/floor': +(median(oursMs) / median(floorMs)).toFixed(2),
      'node:http+pg ms': +median(nodeMs).toFixed(2),
      'ours/node floor': +(median(oursMs) / median(nodeMs)).toFixed(2),
      'MapServer ms': msMedian === null ? 'skipped' : +msMedian.toFixed(2),
      'MapServer/ours': msMedian === null ? '' : +(msMedian / median(oursMs)).toFixed(2),
      'naive SQL ms': naiveMs.length ? +median(naiveMs).toFixed(2) : '',
      'naive/ours': naiveMs.length ? +(median(naiveMs) / median(oursMs)).toFixed(2) : '',
      'max layer tile KB': +(maxBytes / 1024).toFixed(1),
      features: `${counts.ours} = ${counts.floor}${ms ? `, MapServer ${counts.mapserver}` : ''}`,
      equivalent: counts.ours === counts.floor,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }

  // c=4 throughput at z10 and z14: one layer tile per request / per pgbench transaction.
  const throughput: Record<string, unknown>[] = [];
  for (const z of [10, 14]) {
    const tiles = tilesAt(z);
    const jobs = tiles.flatMap(([tz, x, y]) => LAYERS.map(([name]) => [name, tz, x, y] as const));
    let done = 0;
    const until = performance.now() + 5000;
    await Promise.all(Array.from({ length: 4 }, async (_, w) => {
      for (let i = w; performance.now() < until; i++) {
        const [name, tz, x, y] = jobs[i % jobs.length]!;
        await fetchTile(name, tz, x, y);
        done++;
      }
    }));
    const files = jobs.map(([name, tz, x, y], i) => {
      const f = path.join(work, `t${z}-${i}.sql`);
      fs.writeFileSync(f, `${inlineSql(LAYERS.find(([n]) => n === name)![1], name, tz, x, y).replace(/\s+/g, ' ')};`);
      return f;
    });
    const out = execFileSync(PGBENCH, ['-n', ...files.flatMap((f) => ['-f', f]), '-c', '4', '-j', '2', '-T', '5', dbUrl], { encoding: 'utf8' });
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
    throughput.push({ zoom: z, 'ours req/s (c=4)': Math.round(done / 5), 'pgbench tps (c=4)': Math.round(tps), ratio: +((done / 5) / tps).toFixed(2) });
  }

  // Cached repeats: our server with its cache against a bare node:http server sending the same bytes.
  const cachedPort = port + 1;
  await startServer(cachedPort, 4000);
  const [cz, cx, cy] = tilesAt(12)[0]!;
  const cachedUrl = `http://127.0.0.1:${cachedPort}/tiles/forest_concession/${cz}/${cx}/${cy}.mvt`;
  const bytes = Buffer.from(await get(cachedUrl, { 'accept-encoding': 'gzip' }));
  fs.writeFileSync(path.join(work, 'tile.bin'), bytes);
  const ceilingPort = port + 2;
  const ceiling = spawn(process.execPath, ['-e', `const b=require('fs').readFileSync(${JSON.stringify(path.join(work, 'tile.bin'))});require('http').createServer((q,s)=>{s.setHeader('content-type','application/vnd.mapbox-vector-tile');s.end(b)}).listen(${ceilingPort})`], { stdio: 'ignore' });
  children.push(ceiling);
  await new Promise((r) => setTimeout(r, 500));
  const loop = async (u: string, n: number) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) await get(u, { 'accept-encoding': 'gzip' });
    return (performance.now() - t) / n;
  };
  const cachedMs: number[] = [];
  const ceilingMs: number[] = [];
  await loop(cachedUrl, 200);
  await loop(`http://127.0.0.1:${ceilingPort}/`, 200);
  for (let r = 0; r < rounds; r++) {
    cachedMs.push(await loop(cachedUrl, 300));
    ceilingMs.push(await loop(`http://127.0.0.1:${ceilingPort}/`, 300));
  }
  const cached = { 'ours cached ms': +median(cachedMs).toFixed(3), 'node:http ceiling ms': +median(ceilingMs).toFixed(3), 'ceiling/ours (throughput ratio)': +(median(ceilingMs) / median(cachedMs)).toFixed(2) };

  console.log(`\nVector tiles, ${nConcessions} concessions (225 vertices), ${nProtected} protected areas, ${nSites} sites; three layers a tile, c=1, medians of ${rounds} rounds`);
  console.table(rows);
  console.table(throughput);
  console.table([cached]);
  recordResult('vector_tiles', { data: { concessions: nConcessions, protected: nProtected, sites: nSites }, rounds, latency: rows, throughput, cached });
} finally {
  await cleanup();
}
