import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../schema';
import { statementRows } from '../statement_rows';

export interface StagedFeature {
  index: number;
  sourceId: string;
  name: string;
  properties: Record<string, unknown>;
  geometryKind: 'geojson' | 'wkb' | 'wkt';
  geometry: string;
}

export interface StagedResult {
  index: number;
  /** GeometryType() of the input: POLYGON, MULTIPOLYGON, POINT, ... */
  inputType: string;
  inputEmpty: boolean;
  wasValid: boolean;
  /** Nothing polygonal left after repair (e.g. a ring collapsed to a line). */
  emptyAfterRepair: boolean;
  /** Outside -180..180 / -90..90 after reprojection: a wrong or missing CRS. */
  outOfRange: boolean;
  bounds: string | null;
  /** true = inserted, false = updated, null = not written (skipped or out of range). */
  inserted: boolean | null;
}

function inputValues(rows: StagedFeature[]): RawBuilder<unknown> {
  return sql.join(
    rows.map(
      (r) => sql`(${r.index}::int, ${r.sourceId}::text, ${r.name}::text, ${JSON.stringify(r.properties)}::jsonb, ${r.geometryKind}::text, ${r.geometry}::text)`,
    ),
  );
}

/**
 * The shared first steps for areas and sites, all in PostGIS so both backends give the same answer:
 * parse, drop Z/M, validate and repair in the source CRS (planar validity is defined there), reproject
 * to 4326, repair again in case reprojection bent a ring, and measure the bounds.
 */
function preparedCte(rows: StagedFeature[], srid: number, polygonsOnly: boolean): RawBuilder<unknown> {
  // ST_MakeValid only where needed: on valid input it still costs as much as everything else together.
  const repairedInSource = sql`CASE WHEN was_valid THEN g0 ELSE ST_MakeValid(g0) END`;
  const reprojected =
    srid === 4326
      ? sql`ST_SetSRID(${repairedInSource}, 4326)`
      : sql`ST_Transform(ST_SetSRID(${repairedInSource}, ${srid}::int), 4326)`;
  const extract = (g: RawBuilder<unknown>) => (polygonsOnly ? sql`ST_Multi(ST_CollectionExtract(${g}, 3))` : g);
  return sql`input (idx, source_id, name, props, gkind, gtext) AS (VALUES ${inputValues(rows)}),
    -- MATERIALIZED: each step is computed once per row; inlined, every reference to g0/g would
    -- re-run the parse, repair and reprojection (measured 7x slower).
    parsed AS MATERIALIZED (
      SELECT idx, source_id, name, props,
        ST_Force2D(CASE gkind
          WHEN 'geojson' THEN ST_GeomFromGeoJSON(gtext)
          WHEN 'wkb' THEN ST_GeomFromWKB(decode(gtext, 'hex'))
          ELSE ST_GeomFromText(gtext) END) AS g0
      FROM input),
    checked AS MATERIALIZED (
      SELECT *, GeometryType(g0) AS input_type, ST_IsEmpty(g0) AS input_empty,
        (ST_IsEmpty(g0) OR ST_IsValid(g0)) AS was_valid
      FROM parsed),
    projected AS MATERIALIZED (
      SELECT *, CASE WHEN input_empty THEN NULL ELSE ${reprojected} END AS g1
      FROM checked),
    -- Reprojection can bend a valid ring into an invalid one; check again in the target CRS.
    prepared AS MATERIALIZED (
      SELECT *, CASE WHEN g1 IS NULL THEN NULL
        WHEN ${srid === 4326 ? sql`true` : sql`ST_IsValid(g1)`} THEN ${extract(sql`g1`)}
        ELSE ${extract(sql`ST_MakeValid(g1)`)} END AS g
      FROM projected),
    flagged AS (
      SELECT *, (g IS NULL OR ST_IsEmpty(g)) AS empty_after,
        (g IS NOT NULL AND NOT ST_IsEmpty(g) AND (ST_XMin(g) < -180 OR ST_XMax(g) > 180 OR ST_YMin(g) < -90 OR ST_YMax(g) > 90)) AS out_of_range
      FROM prepared)`;
}

/** One row per input feature: what was found and whether it was inserted (true) or updated (false). */
const resultSelect = sql`
    SELECT f.idx, f.input_type, f.input_empty, f.was_valid, f.empty_after, f.out_of_range,
      CASE WHEN f.out_of_range THEN ST_AsText(ST_Envelope(f.g0)) END AS bounds, w.inserted
    FROM flagged f LEFT JOIN written w ON w.source_id = f.source_id
    ORDER BY f.idx`;

type ResultRow = {
  idx: number;
  input_type: string;
  input_empty: boolean;
  was_valid: boolean;
  empty_after: boolean;
  out_of_range: boolean;
  bounds: string | null;
  inserted: boolean | null;
};

function toResults(rows: ResultRow[]): StagedResult[] {
  return rows.map((r) => ({
    index: r.idx,
    inputType: r.input_type,
    inputEmpty: r.input_empty,
    wasValid: r.was_valid,
    emptyAfterRepair: r.empty_after,
    outOfRange: r.out_of_range,
    bounds: r.bounds,
    inserted: r.inserted,
  }));
}

/** Repairs, reprojects and upserts a batch of sites of one activity (in the caller's transaction: the activity matrix, a small file). */
export async function upsertSiteBatch(
  trx: Transaction<Database> | Kysely<Database>,
  args: { activityId: number; kind: string; srid: number; importSourceId: number; rows: StagedFeature[] },
): Promise<StagedResult[]> {
  const { rows } = await sql<ResultRow>`
    WITH ${preparedCte(args.rows, args.srid, false)},
    written AS (
      INSERT INTO site (activity_id, source_id, name, kind, geom, properties, import_source_id)
      SELECT ${args.activityId}::int, source_id, name, ${args.kind}, g, props, ${args.importSourceId}::int
      FROM flagged WHERE NOT empty_after AND NOT out_of_range
      ON CONFLICT (activity_id, source_id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
        geom = excluded.geom, properties = excluded.properties, import_source_id = excluded.import_source_id, updated_at = now()
      RETURNING source_id, (xmax = 0) AS inserted)
    ${resultSelect}`.execute(trx);
  return toResults(rows);
}

type StageRow = Omit<ResultRow, 'inserted'>;

/**
 * Parses, repairs, reprojects and measures one batch into the run's staging rows, and generalises
 * the written areas' outlines for the vector tiles, in one statement of its own (no transaction
 * around the import: other requests run between batches). One result per input row.
 */
export async function stageBatch(
  db: Kysely<Database>,
  args: { runId: string; target: 'areas' | 'sites'; activityId: number | null; srid: number; rows: StagedFeature[] },
): Promise<StagedResult[]> {
  const areas = args.target === 'areas';
  const writable = areas
    ? sql`NOT empty_after AND NOT out_of_range AND input_type IN ('POLYGON', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION')`
    : sql`NOT empty_after AND NOT out_of_range`;
  const { rows } = await sql<StageRow>`
    WITH ${preparedCte(args.rows, args.srid, areas)},
    staged AS (
      INSERT INTO import_stage (run_id, idx, activity_id, source_id, name, properties, geom, area_ha, writable)
      SELECT ${args.runId}, idx, ${args.activityId}::int, source_id, name, props, g,
        CASE WHEN ${sql.lit(areas)} AND ${writable} THEN ST_Area(g::geography, true) / 10000.0 END, ${writable}
      FROM flagged
      RETURNING idx, writable),
    tiles AS (
      INSERT INTO import_stage_tile (run_id, idx, band, geom)
      SELECT ${args.runId}, f.idx, t.band, t.geom
      FROM flagged f CROSS JOIN LATERAL atalaya_tile_bands(f.g) t
      WHERE ${sql.lit(areas)} AND ${writable})
    SELECT f.idx, f.input_type, f.input_empty, f.was_valid, f.empty_after, f.out_of_range,
      CASE WHEN f.out_of_range THEN ST_AsText(ST_Envelope(f.g0)) END AS bounds
    FROM flagged f JOIN staged s ON s.idx = f.idx
    ORDER BY f.idx`.execute(db);
  return toResults(rows.map((r) => ({ ...r, inserted: null })));
}

/** Staged geometries (lon/lat, repaired) as hex WKB, by index. */
export async function stagedGeometryWkb(db: Kysely<Database>, runId: string, indices: number[]): Promise<{ idx: number; wkb: string }[]> {
  const { rows } = await sql<{ idx: number; wkb: string }>`SELECT idx, encode(ST_AsBinary(geom), 'hex') AS wkb FROM import_stage
    WHERE run_id = ${runId} AND writable AND idx = ANY(${indices}::int[]) ORDER BY idx`.execute(db);
  return rows;
}

/** Removes some staged rows of a run (a batch to stage again row by row). */
export async function unstageRows(db: Kysely<Database>, runId: string, indices: number[]): Promise<void> {
  await sql`DELETE FROM import_stage_tile WHERE run_id = ${runId} AND idx = ANY(${indices}::int[])`.execute(db);
  await sql`DELETE FROM import_stage WHERE run_id = ${runId} AND idx = ANY(${indices}::int[])`.execute(db);
}

export interface Published {
  inserted: number;
  updated: number;
  /** Staged keys neither new nor visible: another import of the same kind, not yet published, holds them. */
  heldElsewhere?: number;
}

const published = (rows: { inserted: boolean }[]): Published => ({ inserted: rows.filter((r) => r.inserted).length, updated: rows.filter((r) => !r.inserted).length });

/** Runs `each` over lo..hi in spans of the database's rows a write statement (see statement_rows). */
async function chunked(db: Kysely<Database>, lo: number | null, hi: number | null, each: (from: number, to: number) => Promise<void>): Promise<void> {
  if (lo === null || hi === null) return;
  const rows = statementRows(db).write;
  for (let from = lo; from <= hi; from += rows) await each(from, from + rows - 1);
}

async function stagedSpan(db: Kysely<Database>, runId: string): Promise<{ lo: number | null; hi: number | null }> {
  const { rows } = await sql<{ lo: number | null; hi: number | null }>`SELECT min(idx) AS lo, max(idx) AS hi FROM import_stage WHERE run_id = ${runId} AND writable`.execute(db);
  return rows[0] ?? { lo: null, hi: null };
}

/** The id span of a run's area rows (written in id order, so a range of ids holds them). */
async function runRowSpan(db: Kysely<Database>, runId: string): Promise<{ lo: number | null; hi: number | null }> {
  const { rows } = await sql<{ lo: number | null; hi: number | null }>`SELECT min(id) AS lo, max(id) AS hi FROM area_row WHERE import_run_id = ${runId}`.execute(db);
  return rows[0] ?? { lo: null, hi: null };
}

const stagedTiles = (trx: Transaction<Database>) => sql`SELECT set_config('atalaya.staged_tiles', 'on', true)`.execute(trx);

/**
 * Writes a run's new areas (keys not in the table yet) with their tile outlines, in short transactions,
 * as rows of the run: invisible (the `area` view leaves them out) until the run is published.
 * Existing keys are left to the publishing transaction, which updates them in place.
 */
export async function writePendingAreas(db: Kysely<Database>, args: { runId: string; kind: string }): Promise<void> {
  const { lo, hi } = await stagedSpan(db, args.runId);
  await chunked(db, lo, hi, (from, to) =>
    db.transaction().execute(async (trx) => {
      await stagedTiles(trx);
      await sql`WITH written AS (
          INSERT INTO area_row (kind, source_id, name, properties, geom, area_ha, import_run_id)
          SELECT ${args.kind}, source_id, name, properties, ST_Multi(geom), area_ha, ${args.runId}
          FROM import_stage WHERE run_id = ${args.runId} AND writable AND idx BETWEEN ${from} AND ${to}
          ON CONFLICT (kind, source_id) DO NOTHING
          RETURNING id, source_id)
        INSERT INTO area_tile_geom (area_id, band, geom)
        SELECT w.id, t.band, t.geom FROM written w
        JOIN import_stage s ON s.run_id = ${args.runId} AND s.idx BETWEEN ${from} AND ${to} AND s.source_id = w.source_id
        JOIN import_stage_tile t ON t.run_id = s.run_id AND t.idx = s.idx`.execute(trx);
    }),
  );
}

/**
 * The short final transaction of an area import: updates the existing areas whose content changed
 * (ids kept, so links, statistics and reviews stay theirs), then publishes the run, which makes its
 * new rows (writePendingAreas) visible at once. Publishes nothing when some staged key was neither
 * new nor visible (heldElsewhere > 0): the caller rolls back.
 */
export async function publishStagedAreas(trx: Transaction<Database>, args: { runId: string; kind: string; importSourceId: number }): Promise<Published> {
  await stagedTiles(trx);
  const { rows } = await sql<{ staged: number; existing: number; inserted: number }>`
    SELECT count(*)::int AS staged,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM area a WHERE a.kind = ${args.kind} AND a.source_id = s.source_id))::int AS existing,
      (SELECT count(*)::int FROM area_row WHERE import_run_id = ${args.runId}) AS inserted
    FROM import_stage s WHERE s.run_id = ${args.runId} AND s.writable`.execute(trx);
  const { staged, existing, inserted } = rows[0]!;
  if (staged !== existing + inserted) return { inserted, updated: existing, heldElsewhere: staged - existing - inserted };
  await sql`WITH changed AS (
      UPDATE area a SET name = s.name, properties = s.properties, geom = ST_Multi(s.geom), area_ha = s.area_ha,
        import_source_id = ${args.importSourceId}::int, updated_at = now()
      FROM import_stage s
      WHERE s.run_id = ${args.runId} AND s.writable AND a.kind = ${args.kind} AND a.source_id = s.source_id
        AND (a.name IS DISTINCT FROM s.name OR a.properties IS DISTINCT FROM s.properties OR NOT ST_OrderingEquals(a.geom, ST_Multi(s.geom)))
      RETURNING s.idx)
    UPDATE import_stage SET replaced = true WHERE run_id = ${args.runId} AND idx IN (SELECT idx FROM changed)`.execute(trx);
  await trx.updateTable('import_run').set({ published_at: new Date(), import_source_id: args.importSourceId }).where('id', '=', args.runId).execute();
  await sql`SELECT atalaya_bump_tile_version(ARRAY['areas'])`.execute(trx);
  return { inserted, updated: existing };
}

/**
 * A published run's follow-up, in short transactions: its new areas get their provenance and
 * links, the areas it replaced get their new tile outlines; then the tile version is bumped, the
 * staging rows dropped and the run marked settled. Until then the tiles show the replaced areas'
 * old outlines and the new areas have no links yet. A process killed in between finishes this at its
 * next start (dropAbandonedImports); every step can run twice.
 */
export async function settleImportRun(db: Kysely<Database>, runId: string): Promise<void> {
  const run = await db.selectFrom('import_run').select(['kind', 'import_source_id']).where('id', '=', runId).executeTakeFirst();
  if (!run?.kind) return;
  const kind = run.kind;
  const ids = await runRowSpan(db, runId);
  await chunked(db, ids.lo, ids.hi, (from, to) =>
    db.transaction().execute(async (trx) => {
      await stagedTiles(trx);
      await sql`UPDATE area_row SET import_source_id = ${run.import_source_id}
        WHERE id BETWEEN ${from} AND ${to} AND import_run_id = ${runId} AND import_source_id IS DISTINCT FROM ${run.import_source_id}`.execute(trx);
      await sql`SELECT atalaya_relink_areas(ARRAY(SELECT id FROM area_row WHERE id BETWEEN ${from} AND ${to} AND import_run_id = ${runId}))`.execute(trx);
    }),
  );
  const { lo, hi } = await stagedSpan(db, runId);
  await chunked(db, lo, hi, (from, to) =>
    db.transaction().execute(async (trx) => {
      await sql`DELETE FROM area_tile_geom t USING import_stage s, area a
        WHERE s.run_id = ${runId} AND s.replaced AND s.idx BETWEEN ${from} AND ${to}
          AND a.kind = ${kind} AND a.source_id = s.source_id AND t.area_id = a.id`.execute(trx);
      await sql`INSERT INTO area_tile_geom (area_id, band, geom)
        SELECT a.id, t.band, t.geom FROM import_stage_tile t
        JOIN import_stage s ON s.run_id = t.run_id AND s.idx = t.idx
        JOIN area a ON a.kind = ${kind} AND a.source_id = s.source_id
        WHERE t.run_id = ${runId} AND s.replaced AND t.idx BETWEEN ${from} AND ${to}`.execute(trx);
    }),
  );
  await sql`SELECT atalaya_bump_tile_version(ARRAY['areas'])`.execute(db);
  await dropStagedRows(db, runId);
  await db.updateTable('import_run').set({ settled_at: new Date() }).where('id', '=', runId).execute();
}

/** Upserts a run's staged sites by (activity, source id): the short final transaction of a site import. */
export async function publishStagedSites(trx: Transaction<Database>, args: { runId: string; kind: string; importSourceId: number }): Promise<Published> {
  const { rows } = await sql<{ inserted: boolean }>`
    INSERT INTO site (activity_id, source_id, name, kind, geom, properties, import_source_id)
    SELECT activity_id, source_id, name, ${args.kind}, geom, properties, ${args.importSourceId}::int
    FROM import_stage WHERE run_id = ${args.runId} AND writable
    ON CONFLICT (activity_id, source_id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
      geom = excluded.geom, properties = excluded.properties, import_source_id = excluded.import_source_id, updated_at = now()
    RETURNING (xmax = 0) AS inserted`.execute(trx);
  return published(rows);
}

/** Creates an area kind unless it exists; true when this call created it. */
export async function createAreaKindIfNew(db: Kysely<Database>, kind: { code: string; en: string; es: string }): Promise<boolean> {
  const created = await db.insertInto('area_kind').values({ code: kind.code, label_en: kind.en, label_es: kind.es }).onConflict((oc) => oc.column('code').doNothing()).returning('code').execute();
  return created.length > 0;
}

/** Deletes an area kind that no area row (visible or not) uses. */
export async function dropAreaKindIfUnused(db: Kysely<Database>, code: string): Promise<void> {
  await sql`DELETE FROM area_kind k WHERE k.code = ${code} AND NOT EXISTS (SELECT 1 FROM area_row a WHERE a.kind = k.code)`.execute(db);
}

/** Registers a run for this process (so a later start can tell a dead process's leftovers). */
export async function beginImportRun(db: Kysely<Database>, run: { id: string; host: string; pid: number; kind: string | null }): Promise<void> {
  await db.insertInto('import_run').values(run).execute();
}

/** Drops a run's staged rows in short statements. */
async function dropStagedRows(db: Kysely<Database>, runId: string): Promise<void> {
  const { rows } = await sql<{ lo: number | null; hi: number | null }>`SELECT min(idx) AS lo, max(idx) AS hi FROM import_stage WHERE run_id = ${runId}`.execute(db);
  await chunked(db, rows[0]?.lo ?? null, rows[0]?.hi ?? null, async (from, to) => {
    await sql`DELETE FROM import_stage_tile WHERE run_id = ${runId} AND idx BETWEEN ${from} AND ${to}`.execute(db);
    await sql`DELETE FROM import_stage WHERE run_id = ${runId} AND idx BETWEEN ${from} AND ${to}`.execute(db);
  });
}

/**
 * Ends a run: an unpublished one loses its invisible new areas (in short statements), every one its
 * staged rows; the run itself goes unless published areas belong to it.
 */
export async function discardImportRun(db: Kysely<Database>, runId: string): Promise<void> {
  const run = await db.selectFrom('import_run').select('published_at').where('id', '=', runId).executeTakeFirst();
  if (run && run.published_at === null) {
    const { lo, hi } = await runRowSpan(db, runId);
    await chunked(db, lo, hi, (from, to) => sql`DELETE FROM area_row WHERE id BETWEEN ${from} AND ${to} AND import_run_id = ${runId}`.execute(db).then(() => undefined));
  }
  await dropStagedRows(db, runId);
  await sql`DELETE FROM import_run r WHERE r.id = ${runId} AND NOT EXISTS (SELECT 1 FROM area_row a WHERE a.import_run_id = r.id)`.execute(db);
}

/** Unsettled runs left by processes that are gone (on this host with a dead pid, or anywhere after a day), and whether they had published. */
export async function staleImportRuns(db: Kysely<Database>, host: string, isAlive: (pid: number) => boolean): Promise<{ id: string; published: boolean }[]> {
  const runs = await db
    .selectFrom('import_run')
    .select(['id', 'host', 'pid', 'published_at', sql<boolean>`started_at < now() - interval '1 day'`.as('old')])
    .where('settled_at', 'is', null)
    .execute();
  return runs.filter((r) => r.old || (r.host === host && !isAlive(r.pid))).map((r) => ({ id: r.id, published: r.published_at !== null }));
}

/** Finds or creates the provenance row of a file (same content, target and layer = same row). */
export async function upsertImportSource(
  trx: Transaction<Database>,
  input: { fileName: string; contentHash: string; layer: string; licence: string | null; source: string | null; target: string; format: string; srid: number },
): Promise<number> {
  const existing = await trx
    .selectFrom('import_source')
    .select('id')
    .where('content_hash', '=', input.contentHash)
    .where('target', '=', input.target)
    .where('layer', '=', input.layer)
    .executeTakeFirst();
  if (existing) {
    await trx
      .updateTable('import_source')
      .set({ file_name: input.fileName, licence: input.licence, source: input.source, imported_at: sql`now()`, format: input.format, srid: input.srid })
      .where('id', '=', existing.id)
      .execute();
    return existing.id;
  }
  const row = await trx
    .insertInto('import_source')
    .values({ file_name: input.fileName, content_hash: input.contentHash, layer: input.layer, licence: input.licence, source: input.source, target: input.target, format: input.format, srid: input.srid, report: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function saveImportReport(trx: Transaction<Database>, id: number, report: object): Promise<void> {
  await trx.updateTable('import_source').set({ report: JSON.stringify(report) }).where('id', '=', id).execute();
}

/** Every import's provenance row, newest first. */
export function listImportSourceRows(db: Kysely<Database>) {
  return db.selectFrom('import_source').selectAll().orderBy('imported_at', 'desc').orderBy('id', 'desc').execute();
}

/** The provenance row of a file already loaded for `target` (by content), else a new one: loading it again adds none. */
export async function findOrInsertImportSource(
  trx: Transaction<Database>,
  input: { fileName: string; contentHash: string; layer: string; licence: string; source: string; target: string; report: Record<string, unknown> },
): Promise<number> {
  const existing = await trx.selectFrom('import_source').select('id').where('content_hash', '=', input.contentHash).where('target', '=', input.target).executeTakeFirst();
  if (existing) return existing.id;
  const row = await trx
    .insertInto('import_source')
    .values({ file_name: input.fileName, content_hash: input.contentHash, layer: input.layer, licence: input.licence, source: input.source, target: input.target, report: JSON.stringify(input.report) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Whether a file with this content was imported before (any target). */
export async function importedBefore(db: Kysely<Database>, contentHash: string): Promise<boolean> {
  return (await db.selectFrom('import_source').select('id').where('content_hash', '=', contentHash).executeTakeFirst()) !== undefined;
}

/** Whether any of these file names was imported. */
export async function anyImportOf(db: Kysely<Database>, fileNames: string[]): Promise<boolean> {
  return (await db.selectFrom('import_source').select('id').where('file_name', 'in', fileNames).executeTakeFirst()) !== undefined;
}
