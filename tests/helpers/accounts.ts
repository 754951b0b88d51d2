// Signed-in callers for tests: a user of a role in some agencies, with a personal API token, and,
// when asked, a browser-like session (cookie + CSRF token).
import type { DatabaseHandle } from '../../server/db/database';
import type { Role } from '../../server/api';
import { createToken, createUser } from '../../server/services/auth.service';

export interface TestUser {
  id: number;
  email: string;
  password: string;
  role: Role;
  agencies: string[];
  /** `Authorization: Bearer ${token}` */
  token: string;
}

let counter = 0;

export async function createTestUser(database: DatabaseHandle, role: Role, agencies: string[] = []): Promise<TestUser> {
  for (const code of agencies) await database.db.insertInto('agency').values({ code, name: code }).onConflict((oc) => oc.doNothing()).execute();
  const email = `${role}${++counter}.${process.pid}@test.example`;
  const password = 'correct horse battery staple';
  const user = await createUser(database.db, { email, name: `Test ${role} ${counter}`, role, agencies, password });
  const { token } = await createToken(database.db, { kind: 'user', id: user.id, email, name: user.name, role, agencies, via: 'token' }, 'tests');
  return { id: user.id, email, password, role, agencies, token };
}

/** Signs in over HTTP like the client does: the session cookie and the CSRF token to send back. */
export async function signIn(baseUrl: string, user: Pick<TestUser, 'email' | 'password'>): Promise<{ cookie: string; csrfToken: string }> {
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: user.email, password: user.password }) });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}
