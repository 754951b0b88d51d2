// Stored alert series (alert_statistic): which subjects need computing for a layer, and writing them.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';
import type { StatSubject } from './loss_statistics.repository';

export interface StoredAlertState {
  id: number;
  /** Hash of the subject's own geometry (and the buffer): a change means recomputing. */
  input_hash: string;
  stored_hash: string | null;
  stored_stamp: string | null;
  block_x0: number | null;
  block_y0: number | null;
  block_x1: number | null;
  block_y1: number | null;
}

/**
 * Every subject of a kind with the hash of what its zone is made from, beside what is stored for the
 * layer. The hash reads the raw geometries (cheap), not the buffers (the costly part), which are
 * made only for the subjects that are recomputed.
 */
export async function alertSubjectStates(db: Kysely<Database>, subject: StatSubject, layerId: number, bufferM: number, ids?: number[]): Promise<StoredAlertState[]> {
  const only = ids ?? null;
  const source =
    subject === 'area'
      ? sql`SELECT id, md5(ST_AsEWKB(geom)::text) AS h FROM area WHERE (${only}::int[] IS NULL OR id = ANY(${only}::int[]))`
      : subject === 'site'
        ? sql`SELECT id, md5(ST_AsEWKB(geom)::text) AS h FROM site WHERE (${bufferM} > 0 OR GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON')) AND (${only}::int[] IS NULL OR id = ANY(${only}::int[]))`
        : sql`SELECT activity_id AS id, md5(string_agg(md5(ST_AsEWKB(geom)::text), ',' ORDER BY id)) AS h FROM site
            WHERE (${bufferM} > 0 OR GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON')) AND (${only}::int[] IS NULL OR activity_id = ANY(${only}::int[])) GROUP BY activity_id`;
  return (
    await sql<StoredAlertState>`WITH s AS (${source})
      SELECT s.id, s.h || ':' || ${bufferM}::text AS input_hash, a.input_hash AS stored_hash, a.layer_stamp AS stored_stamp, a.block_x0, a.block_y0, a.block_x1, a.block_y1
      FROM s LEFT JOIN alert_statistic a ON a.subject = ${subject} AND a.subject_id = s.id AND a.layer_id = ${layerId} AND a.buffer_m = ${bufferM}
      ORDER BY s.id`.execute(db)
  ).rows;
}

export interface AlertStatValues {
  subjectId: number;
  inputHash: string;
  pixels: number;
  coveredPixels: number;
  areaHa: number;
  coveredHa: number;
  blocks: [number, number, number, number] | null;
  days: number[][];
}

/** Writes computed series, a few hundred rows a statement. */
export async function upsertAlertStats(db: Kysely<Database>, subject: StatSubject, layerId: number, bufferM: number, stamp: string, values: AlertStatValues[]): Promise<void> {
  for (let i = 0; i < values.length; i += 200) {
    const rows = values.slice(i, i + 200).map((v) => ({
      subject, subject_id: v.subjectId, layer_id: layerId, buffer_m: bufferM, input_hash: v.inputHash, layer_stamp: stamp,
      pixels: v.pixels, covered_pixels: v.coveredPixels, area_ha: v.areaHa, covered_ha: v.coveredHa,
      block_x0: v.blocks?.[0] ?? null, block_y0: v.blocks?.[1] ?? null, block_x1: v.blocks?.[2] ?? null, block_y1: v.blocks?.[3] ?? null,
      days: JSON.stringify(v.days), computed_at: sql<Date>`now()`,
    }));
    await db
      .insertInto('alert_statistic')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['subject', 'subject_id', 'layer_id', 'buffer_m']).doUpdateSet((eb) => ({
          input_hash: eb.ref('excluded.input_hash'), layer_stamp: eb.ref('excluded.layer_stamp'), pixels: eb.ref('excluded.pixels'), covered_pixels: eb.ref('excluded.covered_pixels'),
          area_ha: eb.ref('excluded.area_ha'), covered_ha: eb.ref('excluded.covered_ha'), block_x0: eb.ref('excluded.block_x0'), block_y0: eb.ref('excluded.block_y0'),
          block_x1: eb.ref('excluded.block_x1'), block_y1: eb.ref('excluded.block_y1'), days: eb.ref('excluded.days'), computed_at: eb.ref('excluded.computed_at'),
        })),
      )
      .execute();
  }
}

/** Marks stored series current for a new ingest whose changed blocks they do not touch. */
export async function carryAlertStats(db: Kysely<Database>, subject: StatSubject, layerId: number, bufferM: number, stamp: string, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 5000) {
    await db.updateTable('alert_statistic').set({ layer_stamp: stamp }).where('subject', '=', subject).where('layer_id', '=', layerId).where('buffer_m', '=', bufferM).where('subject_id', 'in', ids.slice(i, i + 5000)).execute();
  }
}

export async function findAlertStat(db: Kysely<Database>, subject: StatSubject, id: number, layerId: number, bufferM: number) {
  return db.selectFrom('alert_statistic').selectAll().where('subject', '=', subject).where('subject_id', '=', id).where('layer_id', '=', layerId).where('buffer_m', '=', bufferM).executeTakeFirst();
}
