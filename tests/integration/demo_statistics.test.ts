// What a first start does after loading the demo: one incremental statistics job over every area,
// site buffer and activity buffer. Afterwards each of them has a stored loss series.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { generateDemoData } from '../../server/demo/generate';
import { ensureDemoRasterStore, loadDemoData } from '../../server/demo/load_demo';
import { createLogger } from '../../server/log';
import { createAnalysisContext, refreshEverything } from '../../server/services/analysis_context';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

describe(`demo statistics on the ${testDatabaseKind()} database`, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-demo-stats-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('has statistics for every concession, protected area, site buffer and activity after the start-up job', async () => {
    const database = await getTestDatabase();
    await resetData(database);
    const demo = path.join(work, 'demo');
    await loadDemoData(database.db, demo, await generateDemoData({ outDir: demo, grid: { west: -70.3, north: -12.2, pixelSize: 0.001, width: 1200, height: 1000 } }));
    const log = createLogger(loadConfig({ LOG_LEVEL: 'silent' }));
    await ensureDemoRasterStore(database.db, { dataDir: work }, log);
    const ctx = createAnalysisContext(database.db, log, { siteBufferM: 5000 });
    try {
      await ctx.jobs.start();
      const job = await refreshEverything(database.db, ctx);
      await ctx.jobs.idle();
      const done = await ctx.jobs.get(job!.id);
      expect(done.status, done.message ?? '').toBe('done');
      const { rows } = await sql<{ subject: string; kind: string | null; subjects: number; with_stats: number; with_forest: number }>`
        SELECT 'area' AS subject, a.kind, count(*)::int AS subjects, count(s.id)::int AS with_stats, count(*) FILTER (WHERE s.forest2000_ha > 0)::int AS with_forest
          FROM area a LEFT JOIN loss_statistic s ON s.subject = 'area' AND s.subject_id = a.id GROUP BY a.kind
        UNION ALL
        SELECT 'site', NULL, count(*)::int, count(s.id)::int, count(*) FILTER (WHERE s.forest2000_ha > 0)::int
          FROM site t LEFT JOIN loss_statistic s ON s.subject = 'site' AND s.subject_id = t.id AND s.buffer_m = 5000
        UNION ALL
        SELECT 'activity', NULL, count(DISTINCT t.activity_id)::int, count(DISTINCT s.id)::int, count(DISTINCT s.id) FILTER (WHERE s.forest2000_ha > 0)::int
          FROM site t LEFT JOIN loss_statistic s ON s.subject = 'activity' AND s.subject_id = t.activity_id AND s.buffer_m = 5000`.execute(database.db);
      for (const r of rows) expect({ ...r, with_forest: undefined }).toEqual({ ...r, with_forest: undefined, with_stats: r.subjects });
      const concessions = rows.find((r) => r.kind === 'forest_concession')!;
      expect(concessions.subjects).toBeGreaterThan(50);
      // The demo's spatial indicators were computed by the same start-up refresh: loss near the sites
      // for every activity the raster reaches (23 years), linked areas as one value.
      const indicators = await sql<{ metric: string; n: number; with_values: number }>`
        SELECT i.definition ->> 'metric' AS metric, count(DISTINCT i.id)::int AS n, count(DISTINCT m.indicator_id)::int AS with_values
        FROM indicator i LEFT JOIN measurement m ON m.indicator_id = i.id AND m.superseded_at IS NULL
        WHERE i.kind = 'spatial' GROUP BY 1 ORDER BY 1`.execute(database.db);
      const near = indicators.rows.find((r) => r.metric === 'loss_near_sites')!;
      expect(near.n).toBeGreaterThan(3);
      expect(near.with_values).toBe(near.n);
      expect(indicators.rows.find((r) => r.metric === 'linked_area')!.with_values).toBeGreaterThan(3);
      // A second start finds nothing to do.
      const again = await refreshEverything(database.db, ctx);
      await ctx.jobs.idle();
      expect((await ctx.jobs.get(again!.id)).message).toMatch(/areas 0 computed; forest_concession rings \(5000 m\) 0 computed; site buffers \(5000 m\) 0 computed; activity buffers \(5000 m\) 0 computed/);
    } finally {
      await ctx.close();
    }
  }, 240_000);
});
