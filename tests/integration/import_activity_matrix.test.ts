import fs from 'node:fs';
import { sql } from 'kysely';
import type { Actor } from '../../server/auth/actor';
import { manageableActivities } from '../../server/services/editing.service';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/database';
import { importActivityMatrix } from '../../server/import/activity_matrix';
import { getActivities, getActivityDetail } from '../../server/services/activities.service';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';

const ADMIN: Actor = { kind: 'user', id: 0, email: 'admin@test', name: 'Admin', role: 'admin', agencies: [], via: 'token' };

const csv = `code,title,priority_area,action_areas,goals,lead_agency,partners,funding_status,start_date,end_date,status,published,site_id,site_name,lon,lat,wkt
M-01,Mercury monitoring in Madre de Dios,A,A4;E2,A;E,MINAM,U.S. EPA;CINCIA,funded,2015-03-01,2018-12-31,ongoing,yes,s1,Huepetuhe station,-70.52,-12.99,
M-01,Mercury monitoring in Madre de Dios,A,A4;E2,A;E,MINAM,U.S. EPA;CINCIA,funded,2015-03-01,2018-12-31,ongoing,yes,s2,Laberinto station,-69.58,-12.72,
M-02,Puna wetland restoration,D,D4,D;B,INAIGEM,USAID,partially_funded,2016-01-01,,planned,no,w1,Bofedal,,,"POLYGON((-70.6 -15.1,-70.5 -15.1,-70.5 -15.0,-70.6 -15.1))"
M-03,Forest data portal,C,C2,C,OSINFOR,,seeking_funding,,,planned,no,,,,,
`;

describe(`activity matrix import on the ${testDatabaseKind()} database`, () => {
  let database: DatabaseHandle;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-matrix-'));
  const file = path.join(dir, 'matrix.csv');
  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    fs.writeFileSync(file, csv);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates activities with their action areas, goals, partners and sites', async () => {
    const report = await importActivityMatrix(database.db, file, { licence: 'internal' });
    expect(report).toMatchObject({ rows: 4, activities: { inserted: 3, updated: 0 }, sites: { inserted: 3, updated: 0 } });
    // M-02 and M-03 are drafts ("published: no"): the public sees M-01 only, an admin all three.
    expect((await getActivities(database.db, { limit: 10, offset: 0 })).activities.map((a) => a.code)).toEqual(['M-01']);
    const list = await manageableActivities(database.db, ADMIN);
    expect(list.activities.map((a) => [a.code, a.priorityArea, a.actionAreas, a.goals, a.siteCount])).toEqual([
      ['M-01', 'A', ['A4', 'E2'], ['A', 'E'], 2],
      ['M-02', 'D', ['D4'], ['B', 'D'], 1],
      ['M-03', 'C', ['C2'], ['C'], 0],
    ]);
    const m1 = await getActivityDetail(database.db, list.activities[0]!.id);
    expect(m1).toMatchObject({ leadAgency: 'MINAM', implementingPartners: ['U.S. EPA', 'CINCIA'], startDate: '2015-03-01', endDate: '2018-12-31', published: true, fundingStatus: 'funded' });
    expect(m1.sites.features.map((f) => [f.properties.name, f.geometry.type])).toEqual([
      ['Huepetuhe station', 'Point'],
      ['Laberinto station', 'Point'],
    ]);
    const m2 = await database.db.selectFrom('site').select(sql<string>`GeometryType(geom)`.as('type')).where('activity_id', '=', list.activities[1]!.id).executeTakeFirstOrThrow();
    expect(m2.type).toBe('POLYGON');
  });

  it('updates on a second import instead of duplicating', async () => {
    fs.writeFileSync(file, csv.replace('Forest data portal', 'Open forest data portal'));
    const report = await importActivityMatrix(database.db, file);
    expect(report).toMatchObject({ activities: { inserted: 0, updated: 3 }, sites: { inserted: 0, updated: 3 } });
    const list = await manageableActivities(database.db, ADMIN);
    expect(list.activities.map((a) => a.title).filter((t) => t.includes('portal'))).toEqual(['Open forest data portal']);
  });
});
