// Every API request learns who is calling (session cookie, bearer token, or the public), runs with
// that actor in the request context (audit log, statement timeout), and, when it writes with a
// session cookie, must prove it comes from our own page (X-CSRF-Token, same-origin Origin).
import type { RequestHandler, Response } from 'express';
import { parseCookie } from 'cookie';
import type { AppDeps } from '../app_deps';
import { sameSecret } from '../auth/secrets';
import { PUBLIC, requireRoleOf, type Actor, type UserActor } from '../auth/actor';
import type { Role } from '../api';
import { runWithContext } from '../request_context';
import { ForbiddenError } from '../errors';
import { resolveActor } from '../services/auth.service';

export const SESSION_COOKIE = 'atalaya_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

export function actorOf(res: Response): Actor {
  return (res.locals.actor as Actor | undefined) ?? PUBLIC;
}

export function sessionIdOf(cookieHeader: string | undefined): string | undefined {
  return cookieHeader ? parseCookie(cookieHeader)[SESSION_COOKIE] : undefined;
}

export function authenticate(db: AppDeps['database']['db'], statementTimeoutMs: number): RequestHandler {
  return async (req, res, next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const actor = await resolveActor(db, sessionIdOf(req.headers.cookie), bearer);
    if (actor.kind === 'user' && actor.via === 'session' && !SAFE_METHODS.has(req.method)) {
      const origin = req.headers.origin;
      // Compared by host: behind a TLS proxy the scheme the server sees is not the browser's.
      if (origin && hostOf(origin) !== req.get('host')) throw new ForbiddenError('Cross-site request refused.');
      const given = req.get('x-csrf-token') ?? '';
      if (!given || !actor.csrfToken || !sameSecret(given, actor.csrfToken)) throw new ForbiddenError('Missing or wrong X-CSRF-Token: read it from GET /api/auth/me and send it with every change.');
    }
    res.locals.actor = actor;
    runWithContext({ ...(actor.kind === 'user' ? { userId: actor.id } : {}), requestId: String(req.id ?? ''), statementTimeoutMs }, () => next());
  };
}

/** Route guard: 401 for the public, 403 when the role falls short (editor < admin). */
export function requireRole(role: Role): RequestHandler {
  return (_req, res, next) => {
    requireRoleOf(actorOf(res), role);
    next();
  };
}

export const userOf = (res: Response, role: Role = 'editor'): UserActor => requireRoleOf(actorOf(res), role);
