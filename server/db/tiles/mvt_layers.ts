// What each vector tile layer holds: its rows, its geometry column and the attributes the client
// styles and filters by. Shared by the ST_AsMVT path and the Node-encoded path, so both select the
// same features with the same attributes.
import { sql, type RawBuilder } from 'kysely';

export const TILE_EXTENT = 4096;
export const TILE_BUFFER = 64;
/** The zoom bands of the precomputed Web Mercator outlines (migration 0008); band 3 is the full outline. */
export const GENERALISED_BANDS = [
  { band: 0, maxZoom: 5 },
  { band: 1, maxZoom: 8 },
  { band: 2, maxZoom: 10 },
] as const;
export const FULL_OUTLINE_BAND = 3;

export function bandForZoom(z: number): number {
  return GENERALISED_BANDS.find((b) => z <= b.maxZoom)?.band ?? FULL_OUTLINE_BAND;
}

/** Up to this zoom area tiles carry only what styling and filtering need (names come with a click). */
export const LEAN_ATTRIBUTES_MAX_ZOOM = 8;
const STYLE_ATTRIBUTES = ['category', 'iucn', 'level', 'concession_type', 'status', 'ecosystem'] as const;

/** Attributes of areas taken out of their properties (absent ones are left out of the tile). */
export const AREA_ATTRIBUTES = ['category', 'iucn', 'level', 'concession_type', 'status', 'ecosystem', 'region', 'holder', 'cordillera', 'basin', 'countries'] as const;

export interface LayerSource {
  /** SELECT list (without geometry), FROM clause, WHERE condition. */
  select: RawBuilder<unknown>;
  from: RawBuilder<unknown>;
  where: RawBuilder<unknown>;
  /** The geometry in EPSG:3857, and the index-friendly test of it against an EPSG:3857 envelope. */
  geom3857: RawBuilder<unknown>;
  intersects: (envelope3857: RawBuilder<unknown>) => RawBuilder<unknown>;
  /** The geometry in EPSG:4326 (extents for TileJSON). */
  geom4326: RawBuilder<unknown>;
  /** Column that becomes the MVT feature id (null: no feature id). */
  idColumn: string | null;
  fields: Record<string, string>;
}

export type TileLayer = { kind: 'areas'; areaKind: string } | { kind: 'sites' } | { kind: 'activities' };

/** `rawOutlines`: the full area outlines at any zoom (what a naive tile query reads; benchmarks compare). */
export function layerSource(layer: TileLayer, z: number, options: { rawOutlines?: boolean } = {}): LayerSource {
  if (layer.kind === 'areas') {
    const band = options.rawOutlines ? null : bandForZoom(z);
    const lean = z <= LEAN_ATTRIBUTES_MAX_ZOOM;
    const attrs = (lean ? STYLE_ATTRIBUTES : AREA_ATTRIBUTES).map((k) => sql`a.properties ->> ${k} AS ${sql.ref(k)}`);
    return {
      select: lean ? sql`a.id, a.kind, ${sql.join(attrs)}` : sql`a.id, a.name, a.kind, a.source_id, round(a.area_ha)::int AS area_ha, ${sql.join(attrs)}`,
      from: band === null ? sql`area a` : sql`area a JOIN area_tile_geom g ON g.area_id = a.id AND g.band = ${sql.lit(band)}`,
      where: sql`a.kind = ${layer.areaKind}`,
      // rawOutlines: what a naive query does, reprojecting the full outline for every tile.
      geom3857: band === null ? sql`ST_Transform(a.geom, 3857)` : sql`g.geom`,
      intersects: (m) => (band === null ? sql`a.geom && ST_Transform(${m}, 4326)` : sql`g.geom && ${m}`),
      geom4326: sql`a.geom`,
      idColumn: 'id',
      fields: { id: 'Number', name: 'String', kind: 'String', source_id: 'String', area_ha: 'Number', ...Object.fromEntries(AREA_ATTRIBUTES.map((k) => [k, 'String'])) },
    };
  }
  if (layer.kind === 'sites') {
    // Public tiles: sites of published activities only.
    return {
      select: sql`s.id, s.name, s.kind, t.id AS activity_id, t.code AS activity_code, t.priority_area_code AS priority_area, t.status, t.lead_agency`,
      from: sql`site s JOIN activity t ON t.id = s.activity_id`,
      where: sql`t.published`,
      geom3857: sql`ST_Transform(s.geom, 3857)`,
      intersects: (m) => sql`s.geom && ST_Transform(${m}, 4326)`,
      geom4326: sql`s.geom`,
      idColumn: 'id',
      fields: { id: 'Number', name: 'String', kind: 'String', activity_id: 'Number', activity_code: 'String', priority_area: 'String', status: 'String', lead_agency: 'String' },
    };
  }
  // One feature per activity and geometry dimension (an activity with point and polygon sites has
  // two), so no feature id: the activity id is the `id` attribute.
  return {
    select: sql`x.id, x.code, x.title, x.priority_area, x.status, x.funding_status, x.lead_agency, x.goals`,
    from: sql`(SELECT t.id, t.code, t.title, t.priority_area_code AS priority_area, t.status, t.funding_status, t.lead_agency,
        (SELECT string_agg(goal_code, ',' ORDER BY goal_code) FROM activity_goal g WHERE g.activity_id = t.id) AS goals,
        ST_Collect(s.geom) AS geom
      FROM activity t JOIN site s ON s.activity_id = t.id WHERE t.published
      GROUP BY t.id, ST_Dimension(s.geom)) x`,
    where: sql`true`,
    geom3857: sql`ST_Transform(x.geom, 3857)`,
    intersects: (m) => sql`x.geom && ST_Transform(${m}, 4326)`,
    geom4326: sql`x.geom`,
    idColumn: null,
    fields: { id: 'Number', code: 'String', title: 'String', priority_area: 'String', status: 'String', funding_status: 'String', lead_agency: 'String', goals: 'String' },
  };
}
