// Every file in ../shared/data imports with the right kind, GDAL's feature count, valid geometry, and
// (for the re-projected copies in formats/) positions within a metre of the WGS 84 originals.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/database';
import { upsertActivity } from '../../server/db/repositories/activities.repository';
import { importFeatureFile, type ImportTarget } from '../../server/import/feature_importer';
import { getTestDatabase, resetData, testDatabaseKind } from '../helpers/test_database';
import { hasOgrinfo, hasSharedData, ogrFeatureCount, sharedData } from '../helpers/shared_data';

const knownCounts: Record<string, number> = {
  'admin/peru_distritos_inei2007.geojson': 1834, 'admin/peru_departamentos_inei2007.geojson': 25,
  'admin/peru_provincias_inei2007.geojson': 197, 'admin/peru_capitales_provincia.geojson': 194,
  'admin/peru_outline_dissolved_from_inei2007_departamentos.geojson': 1, 'deforestation/amw_mining_footprints_peru_2018_2025Q3.geojson': 3579,
  'formats/rgi7_glaciers_peru_utm18s.gpkg': 1255, 'formats/hydrobasins_madre_de_dios_psad56_utm19s_shapefile_latin1.zip': 9,
  'formats/sernanp_anp_madre_de_dios_utm19s_shapefile.zip': 6, 'formats/aiddata_gef_projects_peru_locations.csv': 19,
  'glaciers_highlands/rgi7_tropical_glacier_complexes_peru.geojson': 1255, 'glaciers_highlands/ne_10m_glaciated_areas_peru.geojson': 26,
  'glaciers_highlands/resolve_ecoregions2017_simplified_peru.geojson': 17, 'activities/mercury_sampling_sites_madre_de_dios_topp.geojson': 54,
  'activities/aiddata_worldbank_ibrd_ida_peru_locations_2011.geojson': 214, 'activities/aiddata_gef_projects_peru_locations.geojson': 19,
  'water/hydrobasins_madre_de_dios_topp.geojson': 9, 'water/ne_10m_rivers_lake_centerlines_peru_bbox.geojson': 24,
  'water/ne_10m_lakes_intersecting_peru.geojson': 1, 'protected_areas/sernanp_anp_madre_de_dios_ecoselva.geojson': 6,
};

const newKind = (en: string, es: string) => ({ createKind: { en, es } });
// Originals are imported under one kind and their re-projected copies under a twin kind, so that
// both versions can be compared feature by feature.
const cases: { file: string; target: ImportTarget; idField?: string; srid: number }[] = [
  { file: 'admin/peru_departamentos_inei2007.geojson', target: { type: 'areas', kind: 'department', ...newKind('Department', 'Departamento') }, idField: 'FIRST_IDDP', srid: 4326 },
  { file: 'admin/peru_provincias_inei2007.geojson', target: { type: 'areas', kind: 'province', ...newKind('Province', 'Provincia') }, srid: 4326 }, // FIRST_IDPR repeats (2001 twice): not an id
  { file: 'admin/peru_distritos_inei2007.geojson', target: { type: 'areas', kind: 'district', ...newKind('District', 'Distrito') }, idField: 'IDDIST', srid: 4326 },
  { file: 'admin/peru_outline_dissolved_from_inei2007_departamentos.geojson', target: { type: 'areas', kind: 'country', ...newKind('Country', 'País') }, srid: 4326 },
  { file: 'admin/peru_capitales_provincia.geojson', target: { type: 'sites', activityCode: 'REF-01', siteKind: 'provincial_capital' }, srid: 4326 },
  { file: 'deforestation/amw_mining_footprints_peru_2018_2025Q3.geojson', target: { type: 'areas', kind: 'mining_footprint', ...newKind('Mining footprint', 'Huella minera') }, srid: 4326 },
  { file: 'protected_areas/sernanp_anp_madre_de_dios_ecoselva.geojson', target: { type: 'areas', kind: 'protected_area' }, idField: 'codigo', srid: 4326 },
  { file: 'formats/sernanp_anp_madre_de_dios_utm19s_shapefile.zip', target: { type: 'areas', kind: 'protected_area_copy', ...newKind('Protected area (copy)', 'Área protegida (copia)') }, idField: 'codigo', srid: 32719 },
  { file: 'glaciers_highlands/rgi7_tropical_glacier_complexes_peru.geojson', target: { type: 'areas', kind: 'glacier_highland' }, idField: 'rgi_id', srid: 4326 },
  { file: 'formats/rgi7_glaciers_peru_utm18s.gpkg', target: { type: 'areas', kind: 'glacier_copy', ...newKind('Glacier (copy)', 'Glaciar (copia)') }, idField: 'rgi_id', srid: 32718 },
  { file: 'glaciers_highlands/ne_10m_glaciated_areas_peru.geojson', target: { type: 'areas', kind: 'glaciated_area', ...newKind('Glaciated area', 'Área glaciada') }, srid: 4326 },
  { file: 'glaciers_highlands/resolve_ecoregions2017_simplified_peru.geojson', target: { type: 'areas', kind: 'ecoregion', ...newKind('Ecoregion', 'Ecorregión') }, srid: 4326 },
  { file: 'water/hydrobasins_madre_de_dios_topp.geojson', target: { type: 'areas', kind: 'watershed' }, idField: 'HYBAS_ID', srid: 4326 },
  { file: 'formats/hydrobasins_madre_de_dios_psad56_utm19s_shapefile_latin1.zip', target: { type: 'areas', kind: 'watershed_copy', ...newKind('Watershed (copy)', 'Cuenca (copia)') }, idField: 'HYBAS_ID', srid: 24879 },
  { file: 'water/ne_10m_lakes_intersecting_peru.geojson', target: { type: 'areas', kind: 'lake', ...newKind('Cross-boundary lake', 'Lago transfronterizo') }, srid: 4326 },
  { file: 'water/ne_10m_rivers_lake_centerlines_peru_bbox.geojson', target: { type: 'sites', activityCode: 'REF-01', siteKind: 'river' }, srid: 4326 },
  { file: 'activities/mercury_sampling_sites_madre_de_dios_topp.geojson', target: { type: 'sites', activityCode: 'REF-02', siteKind: 'sampling_site' }, srid: 4326 },
  { file: 'activities/aiddata_worldbank_ibrd_ida_peru_locations_2011.geojson', target: { type: 'sites', activityCode: 'REF-03', siteKind: 'project_location' }, srid: 4326 },
  { file: 'activities/aiddata_gef_projects_peru_locations.geojson', target: { type: 'sites', activityCode: 'REF-04', siteKind: 'project_location' }, idField: 'project_location_id', srid: 4326 },
  { file: 'formats/aiddata_gef_projects_peru_locations.csv', target: { type: 'sites', activityCode: 'REF-05', siteKind: 'project_location' }, idField: 'project_location_id', srid: 4326 },
];

describe.skipIf(!hasSharedData)(`real data from ../shared/data on the ${testDatabaseKind()} database (skipped when ../shared/data is absent)`, () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await getTestDatabase();
    await resetData(database);
    await database.db.transaction().execute(async (trx) => {
      for (const code of ['REF-01', 'REF-02', 'REF-03', 'REF-04', 'REF-05']) {
        await upsertActivity(trx, { code, title: `Reference ${code}`, summary: '', priorityArea: 'B', actionAreas: [], goals: [], leadAgency: 'test', implementingPartners: [], fundingStatus: 'funded', startDate: null, endDate: null, status: 'ongoing', published: true, properties: {} });
      }
    });
  });

  it('covers every vector file in ../shared/data', () => {
    const all: string[] = [];
    for (const dir of fs.readdirSync(sharedData)) {
      const full = path.join(sharedData, dir);
      if (fs.statSync(full).isDirectory()) for (const f of fs.readdirSync(full)) if (/\.(geojson|zip|gpkg|csv)$/.test(f)) all.push(`${dir}/${f}`);
    }
    expect(cases.map((c) => c.file).sort()).toEqual(all.sort());
  });

  for (const c of cases) {
    it(`imports ${c.file}`, async () => {
      const file = path.join(sharedData, c.file);
      const report = await importFeatureFile(database.db, file, c.target, { ...(c.idField ? { idField: c.idField } : {}), licence: 'see ../shared/data/SOURCES.md' });
      const expected = hasOgrinfo ? ogrFeatureCount(file) : knownCounts[c.file]!;
      expect(report.features).toBe(expected);
      expect(report.srid).toBe(c.srid);
      const accounted = report.inserted + report.updated + report.skippedNullGeometry.length + report.skippedEmptyGeometry.length + report.skippedWrongGeometryType.length;
      expect(accounted).toBe(report.features);
      expect(report.skippedWrongGeometryType).toEqual([]);
      if (c.file.includes('distritos')) expect(report.skippedNullGeometry).toHaveLength(8); // islands lost in the source's simplification
      const table = c.target.type === 'areas' ? 'area' : 'site';
      const { rows } = await sql<{ invalid: number }>`SELECT count(*)::int AS invalid FROM ${sql.table(table)} WHERE NOT ST_IsValid(geom)`.execute(database.db);
      expect(rows[0]!.invalid).toBe(0);
    }, 120_000);
  }

  it('stores names and attributes decoded with the right encoding (Latin-1 .cpg, UTF-8)', async () => {
    const anp = await database.db.selectFrom('area').select(['name', 'properties']).where('kind', '=', 'protected_area_copy').where('source_id', '=', 'PN03').executeTakeFirstOrThrow();
    expect(anp.name).toMatch(/Manu/);
    const basins = await database.db.selectFrom('area').select('source_id').where('kind', '=', 'watershed_copy').orderBy('source_id').execute();
    const originals = await database.db.selectFrom('area').select('source_id').where('kind', '=', 'watershed').orderBy('source_id').execute();
    expect(basins).toEqual(originals); // HYBAS_ID stored as text in one and as a real in the other: same ids
  });

  for (const [copy, original, metric] of [
    ['protected_area_copy', 'protected_area', 32719],
    ['watershed_copy', 'watershed', 32719],
    ['glacier_copy', 'glacier_highland', 32718],
  ] as const) {
    it(`puts the re-projected ${copy} within a metre of its WGS 84 original`, async () => {
      const { rows } = await sql<{ n: number; worst: number }>`
        SELECT count(*)::int AS n, max(ST_HausdorffDistance(ST_Transform(a.geom, ${metric}::int), ST_Transform(b.geom, ${metric}::int))) AS worst
        FROM area a JOIN area b ON b.source_id = a.source_id AND b.kind = ${original}
        WHERE a.kind = ${copy}`.execute(database.db);
      expect(rows[0]!.n).toBeGreaterThan(5);
      expect(rows[0]!.worst).toBeLessThan(1);
    }, 60_000);
  }

  it('puts CSV sites on the same positions as the GeoJSON ones', async () => {
    const { rows } = await sql<{ n: number; worst: number }>`
      SELECT count(*)::int AS n, max(ST_Distance(a.geom::geography, b.geom::geography)) AS worst
      FROM site a JOIN activity x ON x.id = a.activity_id AND x.code = 'REF-05'
      JOIN site b ON b.source_id = a.source_id JOIN activity y ON y.id = b.activity_id AND y.code = 'REF-04'`.execute(database.db);
    expect(rows[0]!.n).toBe(19);
    expect(rows[0]!.worst).toBeLessThan(1);
  });

  it('updates instead of duplicating when the same file is imported again', async () => {
    const file = path.join(sharedData, 'formats/rgi7_glaciers_peru_utm18s.gpkg');
    const before = await database.db.selectFrom('area').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const report = await importFeatureFile(database.db, file, { type: 'areas', kind: 'glacier_copy' }, { idField: 'rgi_id' });
    expect([report.inserted, report.updated]).toEqual([0, 1255]);
    const after = await database.db.selectFrom('area').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const sources = await database.db.selectFrom('import_source').select(['file_name', 'content_hash', 'format', 'srid', 'licence']).where('file_name', '=', 'rgi7_glaciers_peru_utm18s.gpkg').execute();
    expect(sources).toHaveLength(1);
    expect(sources[0]).toMatchObject({ format: 'geopackage', srid: 32718, content_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('links the real sites to the real areas exactly as an independent PostGIS query does, distances within 1 m', async () => {
    // The reference: every (site, area) pair within the kind's distance, by brute-force geography,
    // for the sampling and project sites against protected areas, basins, glaciers and ecoregions.
    const { rows: expected } = await sql<{ site_id: number; area_id: number; d: number }>`
      SELECT s.id AS site_id, a.id AS area_id, ST_Distance(s.geom::geography, a.geom::geography) AS d
      FROM site s JOIN activity x ON x.id = s.activity_id AND x.code IN ('REF-02', 'REF-03', 'REF-04')
      CROSS JOIN area a JOIN area_kind k ON k.code = a.kind
      WHERE a.kind IN ('protected_area', 'watershed', 'glacier_highland', 'ecoregion')
        AND ST_DWithin(s.geom::geography, a.geom::geography, k.link_distance_m)
      ORDER BY 1, 2`.execute(database.db);
    const { rows: actual } = await sql<{ site_id: number; area_id: number; d: number }>`
      SELECT l.site_id, l.area_id, l.distance_m AS d FROM link l
      JOIN site s ON s.id = l.site_id JOIN activity x ON x.id = s.activity_id AND x.code IN ('REF-02', 'REF-03', 'REF-04')
      JOIN area a ON a.id = l.area_id AND a.kind IN ('protected_area', 'watershed', 'glacier_highland', 'ecoregion')
      ORDER BY 1, 2`.execute(database.db);
    expect(expected.length).toBeGreaterThan(100);
    expect(actual.map((r) => `${r.site_id}/${r.area_id}`)).toEqual(expected.map((r) => `${r.site_id}/${r.area_id}`));
    const worst = Math.max(...actual.map((r, i) => Math.abs(r.d - expected[i]!.d)));
    expect(worst).toBeLessThan(1);
  }, 120_000);
});
