// Context layers of points and their points. A layer is replaced whole in one transaction, so a
// reader sees the old points or the new ones, never a mix or none.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

export interface ContextLayerRow {
  code: string;
  label_en: string;
  label_es: string;
  source: string;
  licence: string;
  count: number;
}

export interface ContextPointInput {
  sourceId: string;
  name: string;
  properties: Record<string, unknown>;
  lon: number;
  lat: number;
}

export async function listContextLayers(db: Kysely<Database>): Promise<ContextLayerRow[]> {
  return db
    .selectFrom('context_layer as l')
    .select(['l.code', 'l.label_en', 'l.label_es', 'l.source', 'l.licence', sql<number>`(SELECT count(*)::int FROM context_point p WHERE p.layer = l.code)`.as('count')])
    .orderBy('l.code')
    .execute();
}

export async function contextLayerChecksum(db: Kysely<Database>, code: string): Promise<string | undefined> {
  return (await db.selectFrom('context_layer').select('sha256').where('code', '=', code).executeTakeFirst())?.sha256;
}

/** Inserts or replaces the layer and all its points (the old ones go in the same transaction). */
export async function replaceContextLayer(
  db: Kysely<Database>,
  layer: { code: string; labelEn: string; labelEs: string; source: string; licence: string; sha256: string },
  points: readonly ContextPointInput[],
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = { label_en: layer.labelEn, label_es: layer.labelEs, source: layer.source, licence: layer.licence, sha256: layer.sha256, loaded_at: sql<Date>`now()` };
    await tx.insertInto('context_layer').values({ code: layer.code, ...row }).onConflict((oc) => oc.column('code').doUpdateSet(row)).execute();
    await tx.deleteFrom('context_point').where('layer', '=', layer.code).execute();
    for (let i = 0; i < points.length; i += 500) {
      await tx
        .insertInto('context_point')
        .values(points.slice(i, i + 500).map((p) => ({ layer: layer.code, source_id: p.sourceId, name: p.name, properties: JSON.stringify(p.properties), geom: sql<string>`ST_SetSRID(ST_MakePoint(${p.lon}, ${p.lat}), 4326)` })))
        .execute();
    }
  });
}
