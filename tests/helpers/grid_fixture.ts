// A deterministic grid so that spatial answers can be counted (after pg_featureserv's test grid).
import type { DatabaseHandle } from '../../server/db/database';
import { upsertActivity } from '../../server/db/repositories/activities.repository';
import { upsertArea } from '../../server/db/repositories/areas.repository';
import { insertSite } from '../../server/db/repositories/sites.repository';

/** 4 x 4 squares of 1 degree, lon -76..-72, lat -12..-8; (col + row) even = protected_area, odd = forest_concession. */
export const GRID = { west: -76, south: -12, size: 4 };

export function square(col: number, row: number) {
  const x = GRID.west + col;
  const y = GRID.south + row;
  return { type: 'Polygon', coordinates: [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]] };
}

export async function seedGrid(handle: DatabaseHandle): Promise<{ activityIds: Record<string, number> }> {
  return handle.db.transaction().execute(async (trx) => {
    for (let row = 0; row < GRID.size; row++) {
      for (let col = 0; col < GRID.size; col++) {
        await upsertArea(trx, {
          kind: (col + row) % 2 === 0 ? 'protected_area' : 'forest_concession',
          sourceId: `sq-${col}-${row}`,
          name: `Square ${col},${row}`,
          properties: { col, row },
          geojson: JSON.stringify(square(col, row)),
        });
      }
    }
    const base = { summary: 'test', implementingPartners: ['Partner'], fundingStatus: 'funded', properties: {} };
    const activityIds: Record<string, number> = {};
    activityIds['A-01'] = await upsertActivity(trx, { ...base, code: 'A-01', title: 'Enforcement in the north-west square', priorityArea: 'A', actionAreas: ['A1'], goals: ['A'], leadAgency: 'OEFA', startDate: '2015-01-01', endDate: '2018-12-31', status: 'ongoing', published: true });
    activityIds['B-01'] = await upsertActivity(trx, { ...base, code: 'B-01', title: 'Forest patrols', priorityArea: 'B', actionAreas: ['B2', 'B3'], goals: ['B', 'D'], leadAgency: 'SERFOR', startDate: '2016-06-01', endDate: null, status: 'planned', published: true });
    activityIds['B-02'] = await upsertActivity(trx, { ...base, code: 'B-02', title: 'Wildlife trafficking', priorityArea: 'B', actionAreas: ['B4'], goals: ['B'], leadAgency: 'SERFOR', startDate: '2010-01-01', endDate: '2012-12-31', status: 'completed', published: false });
    // One point site at the centre of each square of the diagonal, all for B-01; one line for A-01.
    for (let i = 0; i < GRID.size; i++) {
      await insertSite(trx, { activityId: activityIds['B-01']!, name: `Centre ${i}`, kind: 'patrol_post', properties: {}, geojson: JSON.stringify({ type: 'Point', coordinates: [GRID.west + i + 0.5, GRID.south + i + 0.5] }) });
    }
    await insertSite(trx, { activityId: activityIds['A-01']!, name: 'Road', kind: 'corridor', properties: {}, geojson: JSON.stringify({ type: 'LineString', coordinates: [[-75.5, -11.5], [-75.5, -10.5]] }) });
    return { activityIds };
  });
}

/** The grid plus a point site of the draft activity B-02, which no public answer may show (kind "secret"). */
export async function seedGridWithDraftSite(handle: DatabaseHandle): Promise<{ activityIds: Record<string, number> }> {
  const seeded = await seedGrid(handle);
  await handle.db.transaction().execute((trx) =>
    insertSite(trx, { activityId: seeded.activityIds['B-02']!, name: 'Draft site', kind: 'secret', properties: {}, geojson: JSON.stringify({ type: 'Point', coordinates: [-73.5, -8.5] }) }),
  );
  return seeded;
}
