// The audit log: rows are written by the database trigger (migration 0009) for every change, and
// here for recomputations that change many rows at once (one entry per batch, with its inputs).
import type { Kysely } from 'kysely';
import type { AuditEntry } from '../api';
import type { Database } from '../db/schema';
import { currentContext } from '../request_context';
import { auditRows, insertAuditEntry } from '../db/repositories/audit.repository';

export async function auditTrail(db: Kysely<Database>, table: string, objectId: string, limit: number): Promise<AuditEntry[]> {
  const rows = await auditRows(db, table, objectId, limit);
  return rows.map((r) => ({ id: Number(r.id), at: new Date(r.at).toISOString(), actor: r.actor, requestId: r.request_id, action: r.action, table: r.table_name, objectId: r.object_id, before: r.before ?? null, after: r.after ?? null }));
}

/** One entry for a batch recomputation of published statistics: which raster version, which inputs. */
export async function auditRecompute(db: Kysely<Database>, table: string, objectId: string, inputs: Record<string, unknown>): Promise<void> {
  const c = currentContext();
  await insertAuditEntry(db, { userId: c?.userId ?? null, fallbackName: c?.actorName ?? 'system', requestId: c?.requestId ?? null }, { action: 'recompute', table, objectId, after: inputs });
}
