// Frozen migration: never edit once landed; add a new one instead.
// Alert layers (GFW integrated, GLAD-L, RADD, normalised to one 16-bit encoding) are raster layers
// of their own kind: the same registry, store folders and tile cache as loss and tree cover.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE raster_layer DROP CONSTRAINT raster_layer_kind_check`.execute(db);
  await sql`ALTER TABLE raster_layer ADD CONSTRAINT raster_layer_kind_check CHECK (kind IN ('lossyear', 'treecover', 'other', 'alert'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM raster_layer WHERE kind = 'alert'`.execute(db);
  await sql`ALTER TABLE raster_layer DROP CONSTRAINT raster_layer_kind_check`.execute(db);
  await sql`ALTER TABLE raster_layer ADD CONSTRAINT raster_layer_kind_check CHECK (kind IN ('lossyear', 'treecover', 'other'))`.execute(db);
}
