import fs from 'node:fs';
import { GeometryPool } from './server/geometry/geometry_pool';
const pool = new GeometryPool({ timeLimitMs: 10_000 });
for (const [f, b] of [['s10k', 0], ['s10k', 5000], ['s46k', 0]] as const) {
  const t = Date.now();
  try {
    const r = await pool.run({ geometry: JSON.parse(fs.readFileSync(`/tmp/star/${f}.json`, 'utf8')), bufferM: b, polygonsOnly: true });
    console.log(f, b, Date.now() - t, r.type, r.valid, r.reason, r.geometry?.type);
  } catch (e) { console.log(f, b, Date.now() - t, (e as Error).message); }
}
const sq = { type: 'Point', coordinates: [-72.5, -10.2] };
const r = await pool.run({ geometry: sq, bufferM: 5000, polygonsOnly: true });
console.log(JSON.stringify(r).slice(0, 200));
await pool.close();
