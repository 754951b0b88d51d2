// Who is calling: the public (no login: published data only), or a signed-in editor or admin.
import type { Role } from '../api';
import { ForbiddenError, UnauthorizedError } from '../errors';

export type Actor =
  | { kind: 'public' }
  | { kind: 'user'; id: number; email: string; name: string; role: Role; agencies: string[]; via: 'session' | 'token'; csrfToken?: string };
export type UserActor = Extract<Actor, { kind: 'user' }>;

export const PUBLIC: Actor = { kind: 'public' };

/** Throws 401 for the public, 403 for an editor where an admin is needed. */
export function requireRoleOf(actor: Actor, role: Role): UserActor {
  if (actor.kind !== 'user') throw new UnauthorizedError('Sign in (POST /api/auth/login) or send Authorization: Bearer <API token>.');
  if (role === 'admin' && actor.role !== 'admin') throw new ForbiddenError('Only an admin may do this.');
  return actor;
}

/** Editors act for their agencies only; admins for all. */
export function canActFor(actor: Actor, agency: string): boolean {
  return actor.kind === 'user' && (actor.role === 'admin' || actor.agencies.includes(agency));
}

export function requireAgency(actor: Actor, agency: string): UserActor {
  const user = requireRoleOf(actor, 'editor');
  if (!canActFor(user, agency)) throw new ForbiddenError(`You edit for ${user.agencies.join(', ') || 'no agency'}; this belongs to ${agency}. Ask an admin to add you to ${agency}.`);
  return user;
}
