// Sign-in, sessions, API tokens and user management.
import type { Kysely } from 'kysely';
import type { ApiToken, LoginInput, User, UserCreateInput, UserUpdateInput } from '../api';
import { DUMMY_HASH, hashPassword, verifyPassword } from '../auth/passwords';
import { API_TOKEN_PREFIX, hashSecret, newApiToken, newSecret } from '../auth/secrets';
import type { Actor, UserActor } from '../auth/actor';
import type { Database } from '../db/schema';
import {
  deleteSession, findSessionUser, findTokenUser, findUserByEmail, findUserById, insertSession, insertToken, insertUser,
  listTokens, listUsers, revokeToken, setUserAgencies, unknownAgencies, touchToken, updateUserRow, deleteUserSessions, type UserRow,
} from '../db/repositories/users.repository';
import { BadRequestError, NotFoundError, UnauthorizedError, AppError } from '../errors';

export const SESSION_HOURS = 12;

const toUser = (u: UserRow): User => ({ id: u.id, email: u.email, name: u.name, role: u.role, agencies: u.agencies, disabled: u.disabled });
const toActor = (u: UserRow, via: 'session' | 'token', csrfToken?: string): UserActor => ({
  kind: 'user', id: u.id, email: u.email, name: u.name, role: u.role, agencies: u.agencies, via, ...(csrfToken ? { csrfToken } : {}),
});

/** Checks the password; a new session id (for the cookie) and its CSRF token, or 401 with one message for every failure. */
export async function login(db: Kysely<Database>, input: LoginInput): Promise<{ sessionId: string; csrfToken: string; user: User }> {
  const user = await findUserByEmail(db, input.email);
  // Verify even when the user is unknown or disabled, so timing does not tell which emails exist.
  const ok = await verifyPassword(input.password, user?.password_hash ?? DUMMY_HASH);
  if (!user || !ok || user.disabled) throw new UnauthorizedError('Wrong email or password.');
  const sessionId = newSecret();
  const csrfToken = newSecret();
  await insertSession(db, { idHash: hashSecret(sessionId), userId: user.id, csrfToken, expiresAt: new Date(Date.now() + SESSION_HOURS * 3600_000) });
  return { sessionId, csrfToken, user: toUser(user) };
}

export const logout = (db: Kysely<Database>, sessionId: string) => deleteSession(db, hashSecret(sessionId));

/** The actor behind a session cookie or a bearer token; the public when neither is given. */
export async function resolveActor(db: Kysely<Database>, sessionId: string | undefined, bearer: string | undefined): Promise<Actor> {
  if (bearer !== undefined) {
    if (!bearer.startsWith(API_TOKEN_PREFIX)) throw new UnauthorizedError('Unknown token: create a personal API token at POST /api/auth/tokens and send it as Authorization: Bearer atk_...');
    const user = await findTokenUser(db, hashSecret(bearer));
    if (!user) throw new UnauthorizedError('This API token is unknown, revoked, or its user is disabled.');
    // At most one write a minute per token, so using a token is not a write per request.
    if (!user.last_used_at || Date.now() - new Date(user.last_used_at).getTime() > 60_000) {
      await touchToken(db, user.token_id);
    }
    return toActor(user, 'token');
  }
  if (sessionId) {
    const user = await findSessionUser(db, hashSecret(sessionId));
    if (user) return toActor(user, 'session', user.csrf_token);
  }
  return { kind: 'public' };
}

export async function me(db: Kysely<Database>, actor: Actor): Promise<{ user: User | null; csrfToken: string | null }> {
  if (actor.kind !== 'user') return { user: null, csrfToken: null };
  const user = await findUserById(db, actor.id);
  return { user: user ? toUser(user) : null, csrfToken: actor.csrfToken ?? null };
}

const toToken = (t: { id: number; name: string; prefix: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }): ApiToken => ({
  id: t.id, name: t.name, prefix: t.prefix, createdAt: t.created_at.toISOString(), lastUsedAt: t.last_used_at?.toISOString() ?? null, revokedAt: t.revoked_at?.toISOString() ?? null,
});

export async function createToken(db: Kysely<Database>, actor: UserActor, name: string): Promise<ApiToken & { token: string }> {
  const token = newApiToken();
  const row = await db.transaction().execute((trx) => insertToken(trx, { userId: actor.id, name, tokenHash: hashSecret(token), prefix: token.slice(0, 8) }));
  return { ...toToken(row), token };
}

export const tokensOf = async (db: Kysely<Database>, actor: UserActor) => (await listTokens(db, actor.id)).map(toToken);

export async function revoke(db: Kysely<Database>, actor: UserActor, id: number): Promise<void> {
  if (!(await db.transaction().execute((trx) => revokeToken(trx, actor.id, id)))) throw new NotFoundError(`You have no live API token ${id}.`);
}

export const allUsers = async (db: Kysely<Database>) => (await listUsers(db)).map(toUser);

export async function createUser(db: Kysely<Database>, input: UserCreateInput): Promise<User> {
  const missing = await unknownAgencies(db, input.agencies);
  if (missing.length) throw new BadRequestError(`Unknown agencies: ${missing.join(', ')}. Create them first (POST /api/agencies).`);
  if (await findUserByEmail(db, input.email)) throw new AppError('conflict', `A user with the email ${input.email} exists.`);
  const passwordHash = await hashPassword(input.password);
  const id = await db.transaction().execute((trx) => insertUser(trx, { email: input.email, name: input.name, role: input.role, passwordHash, agencies: input.agencies }));
  return toUser((await findUserById(db, id))!);
}

export async function updateUser(db: Kysely<Database>, id: number, input: UserUpdateInput): Promise<User> {
  if (!(await findUserById(db, id))) throw new NotFoundError(`No user ${id}.`);
  const missing = await unknownAgencies(db, input.agencies ?? []);
  if (missing.length) throw new BadRequestError(`Unknown agencies: ${missing.join(', ')}. Create them first (POST /api/agencies).`);
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  await db.transaction().execute(async (trx) => {
    const set = { ...(input.name ? { name: input.name } : {}), ...(input.role ? { role: input.role } : {}), ...(input.disabled !== undefined ? { disabled: input.disabled } : {}), ...(passwordHash ? { password_hash: passwordHash } : {}) };
    await updateUserRow(trx, id, set);
    if (input.agencies) await setUserAgencies(trx, id, input.agencies);
    // A disabled user, or a new password, ends every session of that user.
    if (input.disabled || passwordHash) await deleteUserSessions(trx, id);
  });
  return toUser((await findUserById(db, id))!);
}

export { listAgencies as agencies, upsertAgency as saveAgency } from '../db/repositories/agencies.repository';
