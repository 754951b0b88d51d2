import { sql, type Kysely, type RawBuilder } from 'kysely';
import { geodesicBuffer } from './zones';
import { parameterSlices } from '../chunked';
import type { Database } from '../schema';

export type StatSubject = 'area' | 'site' | 'activity';

/** Which statistics: one loss layer (+ tree cover layer and threshold) and a buffer distance. */
export interface StatKey {
  lossLayerId: number;
  treecoverLayerId: number; // 0 = none
  threshold: number;
  bufferM: number;
}

export interface SubjectGeometry {
  id: number;
  /** The analysed polygon(s) as WKB: cheap to move to a worker thread and to parse there. */
  wkb: Uint8Array;
  inputHash: string;
}

export interface SubjectFilter {
  subject: StatSubject;
  /** Areas of one kind only. */
  areaKind?: string;
  ids?: number[];
}

/**
 * The geometry each subject is analysed over, with a hash of it: an area's own polygon (grown by
 * the buffer when one is asked), a site's geodesic buffer (a polygon site without a buffer is
 * itself), an activity's union of its sites' buffers. Buffers go through geography, so metres are
 * metres at every latitude.
 */
function subjectGeometries(db: Kysely<Database>, filter: SubjectFilter, bufferM: number) {
  const ids = filter.ids && filter.ids.length > 0 ? filter.ids : null;
  const buffered = (g: RawBuilder<unknown>) => (bufferM > 0 ? geodesicBuffer(g, bufferM) : sql`(${g})`);
  if (filter.subject === 'area') {
    return sql<{ id: number; geom: string }>`SELECT id, ${buffered(sql`geom`)} AS geom FROM area
      WHERE (${filter.areaKind ?? null}::text IS NULL OR kind = ${filter.areaKind ?? null})
        AND (${ids}::int[] IS NULL OR id = ANY(${ids}::int[]))`;
  }
  if (filter.subject === 'site') {
    return sql<{ id: number; geom: string }>`SELECT id, ${buffered(sql`geom`)} AS geom FROM site
      WHERE (${bufferM} > 0 OR GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON'))
        AND (${ids}::int[] IS NULL OR id = ANY(${ids}::int[]))`;
  }
  return sql<{ id: number; geom: string }>`SELECT activity_id AS id, ST_Union(${buffered(sql`geom`)}) AS geom FROM site
    WHERE (${bufferM} > 0 OR GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON'))
      AND (${ids}::int[] IS NULL OR activity_id = ANY(${ids}::int[]))
    GROUP BY activity_id`;
}

/** Subjects whose statistics for `key` are missing or were computed from other inputs, in reading order (north to south). */
function pendingSubjects(db: Kysely<Database>, filter: SubjectFilter, key: StatKey, rasterStamp: string, force: boolean, withGeometry: boolean) {
  return sql<{ id: number; wkb: Uint8Array | null; input_hash: string }>`
    WITH g AS MATERIALIZED (${subjectGeometries(db, filter, key.bufferM)}),
    h AS (SELECT id, geom, md5(ST_AsEWKB(geom)::text) AS input_hash FROM g WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom))
    SELECT h.id, ${withGeometry ? sql`ST_AsBinary(ST_Force2D(h.geom))` : sql`NULL::bytea`} AS wkb, h.input_hash FROM h
    LEFT JOIN loss_statistic s ON s.subject = ${filter.subject} AND s.subject_id = h.id AND s.buffer_m = ${key.bufferM}
      AND s.loss_layer_id = ${key.lossLayerId} AND s.treecover_layer_id = ${key.treecoverLayerId} AND s.threshold = ${key.threshold}
    WHERE ${force} OR s.id IS NULL OR s.input_hash <> h.input_hash OR s.raster_stamp <> ${rasterStamp}
    ORDER BY ST_YMax(h.geom) DESC, ST_XMin(h.geom)`.execute(db);
}

/** Subjects whose statistics for `key` are missing or stale, with the geometry to analyse. */
export async function subjectsNeedingStats(db: Kysely<Database>, filter: SubjectFilter, key: StatKey, rasterStamp: string, force = false): Promise<SubjectGeometry[]> {
  const rows = await pendingSubjects(db, filter, key, rasterStamp, force, true);
  return rows.rows.map((r) => ({ id: r.id, wkb: new Uint8Array(r.wkb!.buffer, r.wkb!.byteOffset, r.wkb!.byteLength), inputHash: r.input_hash }));
}

/** The same subjects' ids only: what a batch's plan needs (each part reads its own geometries). */
export async function subjectIdsNeedingStats(db: Kysely<Database>, filter: SubjectFilter, key: StatKey, rasterStamp: string, force = false): Promise<number[]> {
  return (await pendingSubjects(db, filter, key, rasterStamp, force, false)).rows.map((r) => r.id);
}

export interface StatValues {
  subjectId: number;
  inputHash: string;
  pixels: number;
  coveredPixels: number;
  areaHa: number;
  coveredAreaHa: number;
  forestPixels: number;
  forest2000Ha: number;
  years: { year: number; loss_ha: number; loss_px: number }[];
}

/** Writes series in statements of a bounded parameter count (16 per row); each slice stands alone, so a killed batch keeps what it wrote. */
export async function upsertStats(db: Kysely<Database>, subject: StatSubject, key: StatKey, rasterStamp: string, rule: string, values: StatValues[]): Promise<void> {
  for (const slice of parameterSlices(values, 16)) await upsertStatSlice(db, subject, key, rasterStamp, rule, slice);
}

async function upsertStatSlice(db: Kysely<Database>, subject: StatSubject, key: StatKey, rasterStamp: string, rule: string, values: StatValues[]): Promise<void> {
  if (values.length === 0) return;
  await db
    .insertInto('loss_statistic')
    .values(
      values.map((v) => ({
        subject,
        subject_id: v.subjectId,
        buffer_m: key.bufferM,
        loss_layer_id: key.lossLayerId,
        treecover_layer_id: key.treecoverLayerId,
        threshold: key.threshold,
        input_hash: v.inputHash,
        raster_stamp: rasterStamp,
        pixels: v.pixels,
        covered_pixels: v.coveredPixels,
        area_ha: v.areaHa,
        covered_area_ha: v.coveredAreaHa,
        forest_pixels: v.forestPixels,
        forest2000_ha: v.forest2000Ha,
        years: JSON.stringify(v.years),
        rule,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['subject', 'subject_id', 'buffer_m', 'loss_layer_id', 'treecover_layer_id', 'threshold']).doUpdateSet((eb) => ({
        input_hash: eb.ref('excluded.input_hash'),
        raster_stamp: eb.ref('excluded.raster_stamp'),
        pixels: eb.ref('excluded.pixels'),
        covered_pixels: eb.ref('excluded.covered_pixels'),
        area_ha: eb.ref('excluded.area_ha'),
        covered_area_ha: eb.ref('excluded.covered_area_ha'),
        forest_pixels: eb.ref('excluded.forest_pixels'),
        forest2000_ha: eb.ref('excluded.forest2000_ha'),
        years: eb.ref('excluded.years'),
        rule: eb.ref('excluded.rule'),
        computed_at: sql`now()`,
      })),
    )
    .execute();
}

/** Statistics of subjects that no longer exist are removed, so lists never show a deleted area. */
export async function deleteOrphanStats(db: Kysely<Database>): Promise<void> {
  await sql`DELETE FROM loss_statistic s WHERE
    (s.subject = 'area' AND NOT EXISTS (SELECT 1 FROM area a WHERE a.id = s.subject_id)) OR
    (s.subject = 'site' AND NOT EXISTS (SELECT 1 FROM site t WHERE t.id = s.subject_id)) OR
    (s.subject = 'activity' AND NOT EXISTS (SELECT 1 FROM site t WHERE t.activity_id = s.subject_id))`.execute(db);
}

/** `publishedOnly`: series of sites and activities only for published activities (public answers). */
export async function findStats(db: Kysely<Database>, subject: StatSubject, subjectIds: number[] | null, key: StatKey, areaKind?: string, publishedOnly = false) {
  let q = db
    .selectFrom('loss_statistic as s')
    .selectAll('s')
    .where('s.subject', '=', subject)
    .where('s.buffer_m', '=', key.bufferM)
    .where('s.loss_layer_id', '=', key.lossLayerId)
    .where('s.treecover_layer_id', '=', key.treecoverLayerId)
    .where('s.threshold', '=', key.threshold);
  if (subjectIds) q = q.where('s.subject_id', 'in', subjectIds.length ? subjectIds : [-1]);
  if (areaKind) q = q.where('s.subject_id', 'in', db.selectFrom('area').select('id').where('kind', '=', areaKind));
  if (publishedOnly && subject === 'activity') q = q.where('s.subject_id', 'in', db.selectFrom('activity').select('id').where('published', '=', true));
  if (publishedOnly && subject === 'site') q = q.where('s.subject_id', 'in', db.selectFrom('site as x').innerJoin('activity as a', 'a.id', 'x.activity_id').select('x.id').where('a.published', '=', true));
  return q.orderBy('s.subject_id').execute();
}

/** Whether an area, site or activity with this id exists (published or not). */
export async function subjectExists(db: Kysely<Database>, subject: StatSubject, id: number): Promise<boolean> {
  const row = await db.selectFrom(subject === 'area' ? 'area' : subject === 'site' ? 'site' : 'activity').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

/** One subject's analysed geometry as WKB (the same zone its loss statistics use), or undefined when it has none. */
export async function subjectGeometryWkb(db: Kysely<Database>, subject: StatSubject, id: number, bufferM: number): Promise<Uint8Array | undefined> {
  return (await subjectGeometryWkbs(db, subject, [id], bufferM)).get(id);
}

/** Several subjects' analysed geometries as WKB, by id (subjects without one are left out). */
export async function subjectGeometryWkbs(db: Kysely<Database>, subject: StatSubject, ids: number[], bufferM: number): Promise<Map<number, Uint8Array>> {
  if (ids.length === 0) return new Map();
  const rows = (
    await sql<{ id: number; wkb: Uint8Array }>`WITH g AS (${subjectGeometries(db, { subject, ids }, bufferM)})
      SELECT id, ST_AsBinary(ST_Force2D(geom)) AS wkb FROM g WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)`.execute(db)
  ).rows;
  return new Map(rows.map((r) => [r.id, new Uint8Array(r.wkb.buffer, r.wkb.byteOffset, r.wkb.byteLength)]));
}
