// The audit log: read an object's trail; write an entry for a batch change the row trigger does not see.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

export function auditRows(db: Kysely<Database>, table: string, objectId: string, limit: number) {
  return db.selectFrom('audit_log').selectAll().where('table_name', '=', table).where('object_id', '=', objectId).orderBy('id', 'desc').limit(limit).execute();
}

export interface AuditActor {
  userId: number | null;
  /** Written when the user id names no user (a CLI run, the system). */
  fallbackName: string;
  requestId: string | null;
}

export async function insertAuditEntry(db: Kysely<Database>, actor: AuditActor, entry: { action: 'recompute'; table: string; objectId: string; after: Record<string, unknown> }): Promise<void> {
  await db.insertInto('audit_log').values({
    actor_user_id: actor.userId,
    actor: sql<string>`coalesce((SELECT email FROM app_user WHERE id = ${actor.userId}), ${actor.fallbackName})` as never,
    request_id: actor.requestId,
    action: entry.action,
    table_name: entry.table,
    object_id: entry.objectId,
    after: JSON.stringify(entry.after),
  }).execute();
}
