// What the concession review is built from: forest concessions, their stored loss statistics (own
// and ring), and the review notes, each read by a plain query (see the service for why not one join).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema';
import type { YearLoss } from '../../analysis/concessions/concession_metrics';

const CONCESSION_KIND = 'forest_concession';

/** Changes whenever a statistic, a review note or a concession changes: the review's cache key. */
export async function reviewInputsVersion(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ v: string }>`SELECT concat_ws('|',
      (SELECT count(*) || ':' || coalesce(max(computed_at)::text, '') FROM loss_statistic WHERE subject = 'area'),
      (SELECT count(*) || ':' || coalesce(max(created_at)::text, '') FROM concession_review),
      (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM area WHERE kind = ${CONCESSION_KIND})) AS v`.execute(db);
  return rows[0]!.v;
}

export interface ConcessionAreaRow {
  id: number;
  name: string;
  properties: Record<string, unknown>;
  area_ha: number;
  bbox: [number, number, number, number];
}

export async function concessionAreas(db: Kysely<Database>): Promise<ConcessionAreaRow[]> {
  return (await sql<ConcessionAreaRow>`SELECT id, name, properties, area_ha,
      json_build_array(ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)) AS bbox FROM area WHERE kind = ${CONCESSION_KIND}`.execute(db)).rows;
}

export interface StatisticKey {
  lossLayerId: number;
  treecoverLayerId: number;
  threshold: number;
}

/** Stored area statistics at the given buffers (0 = the area itself) for one layer set. */
export interface AreaStatisticRow {
  subject_id: number;
  buffer_m: number;
  /** Geodesic hectares of the zone, and of the part of it the loss layer covers. */
  area_ha: number;
  covered_area_ha: number;
  forest2000_ha: number;
  years: YearLoss[];
}

export async function areaStatistics(db: Kysely<Database>, key: StatisticKey, buffersM: readonly number[]): Promise<AreaStatisticRow[]> {
  return (await sql<AreaStatisticRow>`SELECT s.subject_id, s.buffer_m, s.area_ha, s.covered_area_ha, s.forest2000_ha, s.years FROM loss_statistic s
      WHERE s.subject = 'area' AND s.buffer_m = ANY(${buffersM}::int[]) AND s.loss_layer_id = ${key.lossLayerId}
        AND s.treecover_layer_id = ${key.treecoverLayerId} AND s.threshold = ${key.threshold}`.execute(db)).rows;
}

export interface LatestReview {
  area_id: number;
  reviewed: boolean;
  supervision_status: string;
  note: string;
  author: string;
  created_at: Date;
}

/** The newest review note of each concession. */
export async function latestReviews(db: Kysely<Database>): Promise<LatestReview[]> {
  return (await sql<LatestReview>`SELECT DISTINCT ON (area_id) area_id, reviewed, supervision_status, note, author, created_at
      FROM concession_review ORDER BY area_id, created_at DESC, id DESC`.execute(db)).rows;
}

export interface ReviewNoteInput {
  reviewed: boolean;
  supervision_status: string;
  note: string;
  author: string;
}

export function insertReviewNote(trx: Transaction<Database>, areaId: number, note: ReviewNoteInput) {
  return trx.insertInto('concession_review').values({ area_id: areaId, ...note }).returningAll().executeTakeFirstOrThrow();
}

export function reviewNotes(db: Kysely<Database>, areaId: number) {
  return db.selectFrom('concession_review').selectAll().where('area_id', '=', areaId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}
