// Links: full recompute by Atalaya's trigger function against the same join written directly in
// PostGIS and fetched to Node; then one edited site, relinked by the trigger.
// usage: npm run bench -- tests/bench/links.bench.ts [--sites 5000] [--concessions 20000] [--protected 300] [--rounds 5]
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { median, recordResult } from './report';
import { seedBenchVectors } from './bench_vectors';
import { throwawayDatabase } from './bench_database';

const { values } = parseArgs({ options: { sites: { type: 'string', default: '5000' }, concessions: { type: 'string', default: '20000' }, protected: { type: 'string', default: '300' }, rounds: { type: 'string', default: '5' } } });
const [nSites, nConcessions, nProtected, rounds] = [values.sites, values.concessions, values.protected, values.rounds].map(Number) as [number, number, number, number];
const bench = await throwawayDatabase('links');
const { database } = bench;
const db = database.db;
await seedBenchVectors(db, { concessions: nConcessions, protected: nProtected, sites: nSites });
await sql`ANALYZE`.execute(db);

async function ours(): Promise<{ ms: number; pairs: number }> {
  await sql`TRUNCATE link`.execute(db);
  const t = performance.now();
  await sql`SELECT atalaya_link_insert(NULL, NULL)`.execute(db);
  const { rows } = await sql<{ site_id: number; area_id: number; relation: string; overlap_ha: number | null; share_of_site: number | null; distance_m: number }>`
    SELECT site_id, area_id, relation, overlap_ha, share_of_site, distance_m FROM link`.execute(db);
  return { ms: performance.now() - t, pairs: rows.length };
}

// The peer: the same answer as one hand-written query, indexed the usual way (geometry && expanded bbox,
// then geography in metres), all rows fetched to Node.
async function direct(): Promise<{ ms: number; pairs: number }> {
  const t = performance.now();
  const { rows } = await sql<{ site_id: number }>`
    SELECT s.id AS site_id, a.id AS area_id,
      CASE WHEN ST_CoveredBy(s.geom, a.geom) THEN 'inside' WHEN ST_Intersects(s.geom, a.geom) THEN 'overlaps' ELSE 'within' END AS relation,
      CASE WHEN ST_Dimension(s.geom) = 2 AND ST_Intersects(s.geom, a.geom) THEN ST_Area(ST_Intersection(s.geom, a.geom)::geography) / 1e4 END AS overlap_ha,
      ST_Distance(s.geom::geography, a.geom::geography) AS distance_m
    FROM site s JOIN area a ON a.geom && ST_Expand(s.geom, 10000 / (111320.0 * cos(radians(least(89.0, greatest(abs(ST_YMin(s.geom)), abs(ST_YMax(s.geom))) + 1.0)))))
    JOIN area_kind k ON k.code = a.kind
    WHERE ST_DWithin(s.geom::geography, a.geom::geography, k.link_distance_m)`.execute(db);
  return { ms: performance.now() - t, pairs: rows.length };
}

await ours();
await direct();
const oursMs: number[] = [];
const directMs: number[] = [];
let pairs = { ours: 0, direct: 0 };
for (let r = 0; r < rounds; r++) {
  const a = r % 2 === 0 ? await ours() : await direct();
  const b = r % 2 === 0 ? await direct() : await ours();
  const [o, d] = r % 2 === 0 ? [a, b] : [b, a];
  oursMs.push(o.ms);
  directMs.push(d.ms);
  pairs = { ours: o.pairs, direct: d.pairs };
}
// Incremental: move one site, the trigger relinks it in the same statement.
const editMs: number[] = [];
for (let r = 0; r < 11; r++) {
  const t = performance.now();
  await sql`UPDATE site SET geom = ST_Translate(geom, ${r % 2 ? 0.01 : -0.01}, 0) WHERE name = ${`s${Math.floor(nSites / 2)}`}`.execute(db);
  editMs.push(performance.now() - t);
}
const result = {
  case: `links: ${nSites} sites x ${nConcessions} concessions + ${nProtected} protected areas, full recompute (PostGIS server)`,
  oursMedianMs: median(oursMs), peerMedianMs: median(directMs), ratio: median(oursMs) / median(directMs), peer: 'the same join as one direct SQL query, fetched to Node',
  pairs, equivalent: pairs.ours === pairs.direct, oneSiteEditMedianMs: median(editMs), rounds, oursMs, directMs, editMs,
};
console.table([{ case: result.case, 'ours ms': Math.round(result.oursMedianMs), 'direct SQL ms': Math.round(result.peerMedianMs), ratio: result.ratio.toFixed(2), pairs: pairs.ours, equivalent: result.equivalent, 'edit one site ms': result.oneSiteEditMedianMs.toFixed(1) }]);
recordResult('links', result);
await bench.drop();
