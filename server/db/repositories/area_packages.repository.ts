// Offline area packages: their rows, and what a package carries read from the data in one place
// (the subject's outline and box, the area kinds, sites and activities inside the box).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

export type PackageSubject = 'area' | 'activity' | 'site' | 'box';
type Bounds = [number, number, number, number];
const envelope = (b: Bounds) => sql`ST_MakeEnvelope(${b[0]}, ${b[1]}, ${b[2]}, ${b[3]}, 4326)`;

/** A subject's outline (GeoJSON, 6 decimals) and its box, from the WKB the analyses use. */
export async function outlineOfWkb(db: Kysely<Database>, wkb: Uint8Array): Promise<{ geojson: string; bounds: Bounds }> {
  const r = (
    await sql<{ geojson: string; w: number; s: number; e: number; n: number }>`WITH g AS (SELECT ST_GeomFromWKB(${wkb}, 4326) AS g)
      SELECT ST_AsGeoJSON(g, 6) AS geojson, ST_XMin(g) AS w, ST_YMin(g) AS s, ST_XMax(g) AS e, ST_YMax(g) AS n FROM g`.execute(db)
  ).rows[0]!;
  return { geojson: r.geojson, bounds: [r.w, r.s, r.e, r.n] };
}

/** The name a package of this subject takes: the area's name, the activity's code and title, the site's name. */
export async function subjectName(db: Kysely<Database>, subject: Exclude<PackageSubject, 'box'>, id: number): Promise<string | undefined> {
  if (subject === 'area') return (await db.selectFrom('area').select('name').where('id', '=', id).executeTakeFirst())?.name;
  if (subject === 'site') return (await db.selectFrom('site').select('name').where('id', '=', id).executeTakeFirst())?.name;
  const a = await db.selectFrom('activity').select(['code', 'title']).where('id', '=', id).executeTakeFirst();
  return a ? `${a.code} ${a.title}` : undefined;
}

/** Area kinds with at least one area in the box (the vector layers a package needs). */
export async function areaKindsInBox(db: Kysely<Database>, b: Bounds): Promise<string[]> {
  return (await sql<{ kind: string }>`SELECT DISTINCT kind FROM area WHERE geom && ${envelope(b)} ORDER BY kind`.execute(db)).rows.map((r) => r.kind);
}

export interface PackageAreaRow {
  id: number;
  kind: string;
  name: string;
  properties: Record<string, unknown>;
  area_ha: number;
}

/** The areas in the box (without geometry: their outlines are in the tiles), at most `limit`. */
export async function areasInBox(db: Kysely<Database>, b: Bounds, limit: number): Promise<PackageAreaRow[]> {
  return (await sql<PackageAreaRow>`SELECT id, kind, name, properties, area_ha FROM area WHERE geom && ${envelope(b)} AND ST_Intersects(geom, ${envelope(b)}) ORDER BY kind, name LIMIT ${limit}`.execute(db)).rows;
}

export interface PackageSiteRow {
  id: number;
  name: string;
  kind: string;
  activity_id: number;
  lon: number;
  lat: number;
  properties: Record<string, unknown>;
}

/** Published activities' sites in the box, each as a point (a polygon site by a point on its surface). */
export async function sitesInBox(db: Kysely<Database>, b: Bounds, limit: number): Promise<PackageSiteRow[]> {
  return (
    await sql<PackageSiteRow>`SELECT s.id, s.name, s.kind, s.activity_id, ST_X(p) AS lon, ST_Y(p) AS lat, s.properties
      FROM site s JOIN activity a ON a.id = s.activity_id, LATERAL (SELECT ST_PointOnSurface(s.geom) AS p) q
      WHERE a.published AND s.geom && ${envelope(b)} ORDER BY s.id LIMIT ${limit}`.execute(db)
  ).rows;
}

export interface PackageActivityRow {
  id: number;
  code: string;
  title: string;
  title_es: string | null;
  lead_agency: string;
  status: string;
}

export async function activitiesByIds(db: Kysely<Database>, ids: number[]): Promise<PackageActivityRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('activity').select(['id', 'code', 'title', 'title_es', 'lead_agency', 'status']).where('id', 'in', ids).where('published', '=', true).orderBy('code').execute();
}

export interface PackageIndicatorRow {
  id: number;
  activity_id: number;
  name: string;
  name_es: string | null;
  unit: string;
  unit_es: string | null;
  kind: string;
}

export async function indicatorsOfActivities(db: Kysely<Database>, ids: number[]): Promise<PackageIndicatorRow[]> {
  if (ids.length === 0) return [];
  return (await sql<PackageIndicatorRow>`SELECT id, activity_id, name, name_es, unit, unit_es, kind FROM indicator WHERE activity_id = ANY(${ids}::int[]) ORDER BY activity_id, id`.execute(db)).rows;
}

export const insertPackage = (db: Kysely<Database>, row: { user_id: number; subject: PackageSubject; subject_id: number | null; name: string; min_zoom: number; max_zoom: number; bounds: number[] }) =>
  db.insertInto('area_package').values(row).returning('id').executeTakeFirstOrThrow();

export const setPackageJob = (db: Kysely<Database>, id: number, jobId: number) => db.updateTable('area_package').set({ job_id: jobId }).where('id', '=', id).execute();

export const finishPackage = (db: Kysely<Database>, id: number, r: { tiles: number; bytes: number; sha256: string }) =>
  db.updateTable('area_package').set({ status: 'ready', tiles: r.tiles, bytes: r.bytes, sha256: r.sha256, built_at: new Date(), message: null }).where('id', '=', id).execute();

export const failPackage = (db: Kysely<Database>, id: number, message: string) => db.updateTable('area_package').set({ status: 'failed', message: message.slice(0, 2000) }).where('id', '=', id).execute();

export const packagesOfUser = (db: Kysely<Database>, userId: number) => db.selectFrom('area_package').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').execute();

export const packageById = (db: Kysely<Database>, id: number) => db.selectFrom('area_package').selectAll().where('id', '=', id).executeTakeFirst();

export const deletePackageRow = (db: Kysely<Database>, id: number) => db.deleteFrom('area_package').where('id', '=', id).execute();

export const countBuildingPackages = async (db: Kysely<Database>, userId: number) =>
  Number((await db.selectFrom('area_package').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('status', '=', 'building').executeTakeFirstOrThrow()).n);
