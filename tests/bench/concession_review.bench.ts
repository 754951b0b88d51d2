// The concession review table with 5,000 concessions and their statistics precomputed (BENCH.md:
// "the table endpoint answers in under 100 ms for any sort and filter"): HTTP requests to the real
// app on a throwaway PostGIS database, every sort key and filter, medians and p95.
// usage: npm run bench -- tests/bench/concession_review.bench.ts [--count 5000] [--rounds 20]
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { concessionSortKeys } from '../../server/api';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';
import { migrateToLatest } from '../../server/db/migrate';
import { createLogger } from '../../server/log';
import { Random } from '../../server/util/random';
import { median, recordResult } from './report';

const { values } = parseArgs({ options: { count: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '20' } } });
const count = Number(values.count);
const rounds = Number(values.rounds);
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `atalaya_bench_review_${process.pid}`;
const psql = (c: string) => execFileSync('psql', ['-v', 'ON_ERROR_STOP=1', '-qAt', base, '-c', c]);
psql(`CREATE DATABASE ${dbName}`);
const url = base.replace(/\/[^/]*$/, `/${dbName}`);
const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', ATALAYA_DEMO_DATA: 'false' });
const database = await openDatabase(config, { purpose: 'bench' });
try {
  await migrateToLatest(database.db);
  const db = database.db;
  const layer = await db.insertInto('raster_layer').values({ name: 'bench_loss', kind: 'lossyear', version: 'b', files: '[]', width: 1, height: 1, pixel_size_deg: 1, extent: sql<string>`ST_MakeEnvelope(-80, -20, -60, 0, 4326)`, properties: JSON.stringify({ store: '/nonexistent', lastYear: 23 }) }).returning('id').executeTakeFirstOrThrow();
  const rng = new Random(5);
  const types = ['timber', 'brazil_nut', 'ecotourism', 'conservation', 'reforestation'];
  const regions = ['Madre de Dios', 'Ucayali', 'Loreto', 'San Martín'];
  for (let start = 0; start < count; start += 500) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 500); i++) {
      const x = -75 + (i % 100) * 0.05;
      const y = -8 - Math.floor(i / 100) * 0.05;
      rows.push({ kind: 'forest_concession', source_id: `c${i}`, name: `Concession ${i}`, properties: JSON.stringify({ concession_type: types[i % 5], region: regions[i % 4], status: i % 7 ? 'active' : 'expired', contract_start: `${2002 + (i % 15)}-06-01`, holder: `Holder ${i}` }), geom: `SRID=4326;MULTIPOLYGON(((${x} ${y},${x + 0.04} ${y},${x + 0.04} ${y + 0.04},${x} ${y + 0.04},${x} ${y})))`, area_ha: 1900, import_source_id: null });
    }
    await db.insertInto('area').values(rows).execute();
  }
  const ids = (await db.selectFrom('area').select('id').orderBy('id').execute()).map((r) => r.id);
  for (const bufferM of [0, 5000]) {
    for (let start = 0; start < ids.length; start += 500) {
      await db.insertInto('loss_statistic').values(ids.slice(start, start + 500).map((id) => {
        const years = Array.from({ length: 23 }, (_, k) => ({ year: 2001 + k, loss_ha: Math.round(rng.next() * (bufferM ? 60 : 20) * 100) / 100, loss_px: 0 }));
        return { subject: 'area' as const, subject_id: id, buffer_m: bufferM, loss_layer_id: layer.id, treecover_layer_id: 0, threshold: 0, input_hash: 'x', raster_stamp: 'x', pixels: 1, covered_pixels: 1, area_ha: 1900, covered_area_ha: 1900, forest_pixels: 1, forest2000_ha: bufferM ? 9000 : 1800, years: JSON.stringify(years), rule: 'bench' };
      })).execute();
    }
  }
  const app = createApp({ config, database, log: createLogger(config) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (q: string) => {
    const t = performance.now();
    const res = await fetch(`${baseUrl}/api/concessions/review?${q}`);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${q}: ${res.status}`);
    return performance.now() - t;
  };
  const cold = await get('limit=50');
  const queries = [
    ...concessionSortKeys.flatMap((s) => [`sort=${s}&order=desc&limit=50`, `sort=${s}&order=asc&limit=50&offset=2000`]),
    'type=timber&region=Ucayali&limit=50', 'flagged=true&limit=50', 'status=expired&sort=recent_trend&limit=50', 'q=Holder%2012&limit=50', 'type=conservation&k=2&limit=50',
  ];
  await Promise.all(queries.map((q) => get(q)));
  const times: number[] = [];
  const perQuery: Record<string, number> = {};
  for (const q of queries) {
    const ts: number[] = [];
    for (let r = 0; r < rounds; r++) ts.push(await get(q));
    perQuery[q] = median(ts);
    times.push(...ts);
  }
  times.sort((a, b) => a - b);
  const worst = Object.entries(perQuery).sort((a, b) => b[1] - a[1])[0]!;
  const result = { concessions: count, queries: queries.length, rounds, coldFirstMs: cold, medianMs: median(times), p95Ms: times[Math.floor(times.length * 0.95)]!, worstQuery: worst[0], worstQueryMedianMs: worst[1] };
  console.table([{ case: `review table, ${count} concessions, ${queries.length} sorts/filters x ${rounds}`, 'median ms': result.medianMs.toFixed(2), 'p95 ms': result.p95Ms.toFixed(2), 'cold first ms': Math.round(cold), 'worst query': `${worst[0]} (${worst[1].toFixed(1)} ms)` }]);
  recordResult('concession_review', result);
  server.close();
  await (app.locals.analysis as { close(): Promise<void> }).close();
} finally {
  await database.close();
  psql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
