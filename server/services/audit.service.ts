// The audit log: rows are written by the database trigger (migration 0009) for every change, and
// here for recomputations that change many rows at once (one entry per batch, with its inputs).
import { sql, type Kysely } from 'kysely';
import type { AuditEntry } from '../api';
import type { Database } from '../db/schema';
import { currentContext } from '../request_context';

export async function auditTrail(db: Kysely<Database>, table: string, objectId: string, limit: number): Promise<AuditEntry[]> {
  const rows = await db.selectFrom('audit_log').selectAll().where('table_name', '=', table).where('object_id', '=', objectId).orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: Number(r.id), at: new Date(r.at).toISOString(), actor: r.actor, requestId: r.request_id, action: r.action, table: r.table_name, objectId: r.object_id, before: r.before ?? null, after: r.after ?? null }));
}

/** One entry for a batch recomputation of published statistics: which raster version, which inputs. */
export async function auditRecompute(db: Kysely<Database>, table: string, objectId: string, inputs: Record<string, unknown>): Promise<void> {
  const c = currentContext();
  await db.insertInto('audit_log').values({
    actor_user_id: c?.userId ?? null,
    actor: sql<string>`coalesce((SELECT email FROM app_user WHERE id = ${c?.userId ?? null}), ${c?.actorName ?? 'system'})` as never,
    request_id: c?.requestId ?? null,
    action: 'recompute',
    table_name: table,
    object_id: objectId,
    after: JSON.stringify(inputs),
  }).execute();
}
