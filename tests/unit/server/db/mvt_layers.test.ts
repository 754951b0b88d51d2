// The vector tile layer definitions, compiled to SQL without a database: which outline band each
// zoom reads, which attributes each zoom carries, and that both tile paths get the same fields.
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { AREA_ATTRIBUTES, FULL_OUTLINE_BAND, GENERALISED_BANDS, LEAN_ATTRIBUTES_MAX_ZOOM, bandForZoom, layerSource } from '../../../../server/db/tiles/mvt_layers';

const compiler = new Kysely<unknown>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
const compiled = (b: { compile(db: Kysely<unknown>): { sql: string; parameters: readonly unknown[] } }) => b.compile(compiler);

describe('vector tile layers', () => {
  it('reads the generalised outline band of each zoom, and the full outline past the last band', () => {
    expect([0, 5, 6, 8, 9, 10, 11, 14, 22].map(bandForZoom)).toEqual([0, 0, 1, 1, 2, 2, FULL_OUTLINE_BAND, FULL_OUTLINE_BAND, FULL_OUTLINE_BAND]);
    for (const { band, maxZoom } of GENERALISED_BANDS) expect(compiled(layerSource({ kind: 'areas', areaKind: 'protected_area' }, maxZoom).from).sql).toContain(`g.band = ${band}`);
  });

  it('carries only styling attributes up to the lean zoom, names and ids of the source after it', () => {
    const lean = compiled(layerSource({ kind: 'areas', areaKind: 'forest_concession' }, LEAN_ATTRIBUTES_MAX_ZOOM).select).sql;
    const full = compiled(layerSource({ kind: 'areas', areaKind: 'forest_concession' }, LEAN_ATTRIBUTES_MAX_ZOOM + 1).select).sql;
    expect(lean).not.toContain('a.name');
    expect(lean).toContain('"concession_type"');
    expect(lean).not.toContain('"holder"');
    expect(full).toContain('a.name');
    for (const k of AREA_ATTRIBUTES) expect(full).toContain(`"${k}"`);
  });

  it('filters areas by kind with a parameter, never by text pasted into the SQL', () => {
    const where = compiled(layerSource({ kind: 'areas', areaKind: "x'; DROP TABLE area; --" }, 12).where);
    expect(where.sql).toBe('a.kind = $1');
    expect(where.parameters).toEqual(["x'; DROP TABLE area; --"]);
  });

  it('reads raw outlines (the benchmarks\' naive path) reprojected from the area itself', () => {
    const raw = layerSource({ kind: 'areas', areaKind: 'protected_area' }, 4, { rawOutlines: true });
    expect(compiled(raw.from).sql).toBe('area a');
    expect(compiled(raw.geom3857).sql).toBe('ST_Transform(a.geom, 3857)');
  });

  it('declares a field type for every attribute a tile can carry; areas and sites have feature ids, activities an id attribute', () => {
    const areas = layerSource({ kind: 'areas', areaKind: 'protected_area' }, 12);
    for (const k of ['id', 'name', 'kind', 'source_id', 'area_ha', ...AREA_ATTRIBUTES]) expect(areas.fields[k]).toMatch(/^(String|Number)$/);
    expect(areas.idColumn).toBe('id');
    expect(layerSource({ kind: 'sites' }, 12).idColumn).toBe('id');
    // An activity with point and polygon sites is two features: a feature id would repeat.
    const activities = layerSource({ kind: 'activities' }, 12);
    expect(activities.idColumn).toBeNull();
    expect(activities.fields.id).toBe('Number');
    for (const layer of [{ kind: 'sites' }, { kind: 'activities' }] as const) {
      const s = layerSource(layer, 12);
      const select = compiled(s.select).sql;
      for (const field of Object.keys(s.fields)) expect(select).toMatch(new RegExp(`\\b${field}\\b`));
    }
  });
});
