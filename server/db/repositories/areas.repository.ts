import { sql, type Kysely, type Transaction } from 'kysely';
import type { AreasQuery } from '../../api';
import type { Database } from '../schema';
import { asGeoJson, envelope4326, geodesicAreaHa } from '../postgis';

export interface AreaRow {
  id: number;
  kind: string;
  source_id: string;
  name: string;
  properties: Record<string, unknown>;
  area_ha: number;
  geojson: string;
}

function filtered(db: Kysely<Database>, query: Pick<AreasQuery, 'kind' | 'bbox'>) {
  let q = db.selectFrom('area');
  if (query.kind) q = q.where('kind', '=', query.kind);
  if (query.bbox) q = q.where(sql<boolean>`ST_Intersects(geom, ${envelope4326(query.bbox)})`);
  return q;
}

/** One page of areas matching kind and bbox, ordered by id, with the total count for the filter. */
export async function listAreas(db: Kysely<Database>, query: AreasQuery): Promise<{ rows: AreaRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    filtered(db, query)
      .select(['id', 'kind', 'source_id', 'name', 'properties', 'area_ha'])
      .select(asGeoJson(sql.ref('geom')).as('geojson'))
      .orderBy('id')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    filtered(db, query).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export interface AreaKindRow {
  code: string;
  label_en: string;
  label_es: string;
  link_distance_m: number;
  count: number;
}

/** Every registered area kind with how many areas it has (zero included). */
export async function listAreaKinds(db: Kysely<Database>): Promise<AreaKindRow[]> {
  return db
    .selectFrom('area_kind as k')
    .leftJoin('area as a', 'a.kind', 'k.code')
    .select(['k.code', 'k.label_en', 'k.label_es', 'k.link_distance_m'])
    .select((eb) => eb.fn.count<number>('a.id').as('count'))
    .groupBy(['k.code', 'k.label_en', 'k.label_es', 'k.link_distance_m'])
    .orderBy('k.code')
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, count: Number(r.count) })));
}

/** The distinct provenance (source, licence) of each kind's areas, from their imports. */
export async function areaKindSources(db: Kysely<Database>): Promise<{ kind: string; source: string | null; licence: string | null; layer: string | null }[]> {
  return db
    .selectFrom('area as a')
    .innerJoin('import_source as s', 's.id', 'a.import_source_id')
    .select(['a.kind', 's.source', 's.licence', 's.layer'])
    .distinct()
    .orderBy('a.kind')
    .execute();
}

export interface AreaInput {
  kind: string;
  sourceId: string;
  name: string;
  properties: Record<string, unknown>;
  /** GeoJSON geometry text in EPSG:4326 (Polygon or MultiPolygon). */
  geojson: string;
  importSourceId?: number | null;
}

/**
 * Inserts an area or, when (kind, source id) exists, updates it in place: re-importing a source
 * never duplicates. The geometry is repaired and forced to MultiPolygon in SQL so both backends agree.
 */
export async function upsertArea(trx: Transaction<Database> | Kysely<Database>, input: AreaInput): Promise<number> {
  const geom = sql<string>`ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${input.geojson}), 4326)), 3))`;
  const row = await trx
    .insertInto('area')
    .values({
      kind: input.kind,
      source_id: input.sourceId,
      name: input.name,
      properties: JSON.stringify(input.properties),
      geom,
      area_ha: geodesicAreaHa(geom),
      import_source_id: input.importSourceId ?? null,
    })
    .onConflict((oc) =>
      oc.columns(['kind', 'source_id']).doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        properties: eb.ref('excluded.properties'),
        geom: eb.ref('excluded.geom'),
        area_ha: eb.ref('excluded.area_ha'),
        import_source_id: eb.ref('excluded.import_source_id'),
        updated_at: sql`now()`,
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function countAreas(db: Kysely<Database>): Promise<number> {
  const r = await db.selectFrom('area').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The outlines of some areas as GeoJSON geometry text (7 decimals), by id. */
export async function areaOutlines(db: Kysely<Database>, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ id: number; g: string }>`SELECT id, ${asGeoJson(sql.ref('geom'), 7)} AS g FROM area WHERE id = ANY(${ids}::int[])`.execute(db);
  return new Map(rows.map((r) => [r.id, r.g]));
}

/** The codes of every area kind, sorted. */
export async function areaKindCodes(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('area_kind').select('code').orderBy('code').execute()).map((r) => r.code);
}

/** An area's id, kind and name, or undefined. */
export function findAreaHeader(db: Kysely<Database>, id: number) {
  return db.selectFrom('area').select(['id', 'kind', 'name']).where('id', '=', id).executeTakeFirst();
}
