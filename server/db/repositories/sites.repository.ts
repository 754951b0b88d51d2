import { sql, type Kysely, type Transaction } from 'kysely';
import type { SitesQuery } from '../../api';
import type { Database } from '../schema';
import { asGeoJson, envelope4326 } from '../postgis';

export interface SiteRow {
  id: number;
  name: string;
  kind: string;
  activity_id: number;
  activity_code: string;
  priority_area_code: string;
  status: string;
  properties: Record<string, unknown>;
  geojson: string;
}

type SiteFilter = Partial<Pick<SitesQuery, 'bbox' | 'activityId' | 'priorityArea'>> & { publishedOnly?: boolean };

function filtered(db: Kysely<Database>, query: SiteFilter) {
  let q = db.selectFrom('site as s').innerJoin('activity as a', 'a.id', 's.activity_id');
  if (query.activityId !== undefined) q = q.where('s.activity_id', '=', query.activityId);
  if (query.publishedOnly) q = q.where('a.published', '=', true);
  if (query.priorityArea) q = q.where('a.priority_area_code', '=', query.priorityArea);
  if (query.bbox) q = q.where(sql<boolean>`ST_Intersects(s.geom, ${envelope4326(query.bbox)})`);
  return q;
}

/** One page of sites with their activity's code, priority area and status; total for the filter. */
export async function listSites(
  db: Kysely<Database>,
  query: SiteFilter & { limit: number; offset: number },
): Promise<{ rows: SiteRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    filtered(db, query)
      .select(['s.id', 's.name', 's.kind', 's.activity_id', 's.properties', 'a.code as activity_code'])
      .select(['a.priority_area_code', 'a.status'])
      .select(asGeoJson(sql.ref('s.geom')).as('geojson'))
      .orderBy('s.id')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    filtered(db, query).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export interface SiteInput {
  activityId: number;
  sourceId?: string | null;
  name: string;
  kind: string;
  properties: Record<string, unknown>;
  /** GeoJSON geometry text in EPSG:4326: point, line or polygon. */
  geojson: string;
}

/** Inserts one site; its geometry is made valid in SQL. Returns the new id. */
export async function insertSite(trx: Transaction<Database> | Kysely<Database>, input: SiteInput): Promise<number> {
  const row = await trx
    .insertInto('site')
    .values({
      activity_id: input.activityId,
      source_id: input.sourceId ?? null,
      name: input.name,
      kind: input.kind,
      properties: JSON.stringify(input.properties),
      geom: sql<string>`ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${input.geojson}), 4326))`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface SitePatch {
  name?: string;
  kind?: string;
  /** GeoJSON geometry text in EPSG:4326, already checked. */
  geojson?: string;
}

export async function updateSiteRow(trx: Transaction<Database>, siteId: number, patch: SitePatch): Promise<void> {
  await trx.updateTable('site').set({
    ...(patch.name ? { name: patch.name } : {}),
    ...(patch.kind ? { kind: patch.kind } : {}),
    ...(patch.geojson ? { geom: sql<string>`ST_SetSRID(ST_GeomFromGeoJSON(${patch.geojson}), 4326)` } : {}),
    updated_at: sql<Date>`now()` as never,
  }).where('id', '=', siteId).execute();
}

export async function deleteSiteRow(trx: Transaction<Database>, siteId: number): Promise<void> {
  await trx.deleteFrom('site').where('id', '=', siteId).execute();
}

export async function deleteSitesOfActivity(trx: Transaction<Database>, activityId: number): Promise<void> {
  await trx.deleteFrom('site').where('activity_id', '=', activityId).execute();
}
