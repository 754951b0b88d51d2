import { sql, type Kysely, type Transaction } from 'kysely';
import type { Role } from '../../api';
import type { Database } from '../schema';

export interface UserRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  password_hash: string;
  agencies: string[];
}

type Db = Kysely<Database> | Transaction<Database>;

function users(db: Db) {
  return db
    .selectFrom('app_user as u')
    .select(['u.id', 'u.email', 'u.name', 'u.role', 'u.disabled', 'u.password_hash'])
    .select(sql<string[]>`coalesce((SELECT array_agg(agency_code ORDER BY agency_code) FROM user_agency ua WHERE ua.user_id = u.id), '{}')`.as('agencies'));
}

export const findUserByEmail = (db: Db, email: string): Promise<UserRow | undefined> => users(db).where('u.email', '=', email).executeTakeFirst();
export const findUserById = (db: Db, id: number): Promise<UserRow | undefined> => users(db).where('u.id', '=', id).executeTakeFirst();
export const listUsers = (db: Db): Promise<UserRow[]> => users(db).orderBy('u.email').execute();

export async function insertUser(trx: Transaction<Database>, u: { email: string; name: string; role: Role; passwordHash: string; agencies: string[] }): Promise<number> {
  const { id } = await trx.insertInto('app_user').values({ email: u.email, name: u.name, role: u.role, password_hash: u.passwordHash }).returning('id').executeTakeFirstOrThrow();
  await setUserAgencies(trx, id, u.agencies);
  return id;
}

export async function setUserAgencies(trx: Transaction<Database>, userId: number, agencies: string[]): Promise<void> {
  await trx.deleteFrom('user_agency').where('user_id', '=', userId).execute();
  if (agencies.length) await trx.insertInto('user_agency').values(agencies.map((agency_code) => ({ user_id: userId, agency_code }))).execute();
}

export async function unknownAgencies(db: Db, codes: string[]): Promise<string[]> {
  if (!codes.length) return [];
  const known = new Set((await db.selectFrom('agency').select('code').where('code', 'in', codes).execute()).map((r) => r.code));
  return codes.filter((c) => !known.has(c));
}


export async function insertSession(db: Db, s: { idHash: string; userId: number; csrfToken: string; expiresAt: Date }): Promise<void> {
  await db.insertInto('user_session').values({ id_hash: s.idHash, user_id: s.userId, csrf_token: s.csrfToken, expires_at: s.expiresAt }).execute();
}

/** The enabled user of a live session, with its CSRF token: one query on every signed-in request. */
export async function findSessionUser(db: Db, idHash: string): Promise<(UserRow & { csrf_token: string }) | undefined> {
  return users(db)
    .innerJoin('user_session as s', 's.user_id', 'u.id')
    .select('s.csrf_token')
    .where('s.id_hash', '=', idHash)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('u.disabled', '=', false)
    .executeTakeFirst();
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('user_session').where((eb) => eb.or([eb('id_hash', '=', idHash), eb('expires_at', '<', sql<Date>`now()`)])).execute();
}

export async function insertToken(db: Db, t: { userId: number; name: string; tokenHash: string; prefix: string }) {
  return db.insertInto('api_token').values({ user_id: t.userId, name: t.name, token_hash: t.tokenHash, prefix: t.prefix }).returningAll().executeTakeFirstOrThrow();
}

/** The enabled user of a live API token, with the token's id and last use: one query a request. */
export async function findTokenUser(db: Db, tokenHash: string): Promise<(UserRow & { token_id: number; last_used_at: Date | null }) | undefined> {
  return users(db)
    .innerJoin('api_token as t', 't.user_id', 'u.id')
    .select(['t.id as token_id', 't.last_used_at'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .where('u.disabled', '=', false)
    .executeTakeFirst();
}

export const listTokens = (db: Db, userId: number) => db.selectFrom('api_token').selectAll().where('user_id', '=', userId).orderBy('id').execute();

export async function revokeToken(db: Db, userId: number, id: number): Promise<boolean> {
  const r = await db.updateTable('api_token').set({ revoked_at: sql<Date>`now()` as never }).where('id', '=', id).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function touchToken(db: Db, tokenId: number): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: sql<Date>`now()` as never }).where('id', '=', tokenId).execute();
}

export interface UserPatch {
  name?: string;
  role?: Role;
  disabled?: boolean;
  password_hash?: string;
}

export async function updateUserRow(trx: Transaction<Database>, id: number, patch: UserPatch): Promise<void> {
  if (Object.keys(patch).length) await trx.updateTable('app_user').set({ ...patch, updated_at: sql<Date>`now()` as never }).where('id', '=', id).execute();
}

/** Ends every session of a user (disabled, or a new password). */
export async function deleteUserSessions(trx: Transaction<Database>, userId: number): Promise<void> {
  await trx.deleteFrom('user_session').where('user_id', '=', userId).execute();
}
