import { Router, type Request } from 'express';
import rateLimit, { ipKeyGenerator } from 'express-rate-limit';
import { agencySchema, apiPaths, normaliseEmail, idParamSchema, loginSchema, tokenCreateSchema, userCreateSchema, userUpdateSchema } from '../api';
import type { AppDeps } from '../app_deps';
import { AppError } from '../errors';
import { SESSION_HOURS, agencies, allUsers, createToken, createUser, login, logout, me, revoke, saveAgency, tokensOf, updateUser } from '../services/auth.service';
import { DatabaseRateLimitStore } from './database_rate_limit_store';
import { actorOf, requireRole, SESSION_COOKIE, sessionIdOf, userOf } from './authenticate';
import { parseInput } from './validate';

export function authRoutes({ database, config }: AppDeps): Router {
  const db = database.db;
  // Ten tries per quarter hour for one address and email: enough for typos, far too few for
  // guessing. The email is keyed as sign-in reads it (normaliseEmail), so " Admin@x " is admin@x.
  const tooMany = () => {
    throw new AppError('too_many_requests', 'Too many sign-in attempts: wait 15 minutes and try again.');
  };
  const emailOf = (req: Request) => {
    const raw = (req.body as { email?: unknown } | undefined)?.email;
    return typeof raw === 'string' ? normaliseEmail(raw).slice(0, 254) : '';
  };
  const loginLimit = rateLimit({
    windowMs: 15 * 60_000,
    limit: config.loginAttemptsPer15Min,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${emailOf(req)}`,
    handler: tooMany,
    // In the database: every web process behind a load balancer counts the same tries.
    store: new DatabaseRateLimitStore(db, 'login:'),
  });
  // And per address alone: each try costs a 32 MiB scrypt hash, so a new email per guess must not
  // buy unlimited hashing either (five addresses' worth).
  const addressLimit = rateLimit({
    windowMs: 15 * 60_000,
    limit: config.loginAttemptsPer15Min * 5,
    standardHeaders: false,
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    handler: tooMany,
    store: new DatabaseRateLimitStore(db, 'login-address:'),
  });
  return Router()
    .post(apiPaths.login, addressLimit, loginLimit, async (req, res) => {
      const input = parseInput(loginSchema, req.body, 'body');
      const { sessionId, csrfToken, user } = await login(db, input);
      res.cookie(SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: 'strict', secure: config.cookieSecure ?? req.secure, path: '/', maxAge: SESSION_HOURS * 3600_000 });
      res.json({ user, csrfToken });
    })
    .post(apiPaths.logout, async (req, res) => {
      const sessionId = sessionIdOf(req.headers.cookie);
      if (sessionId) await logout(db, sessionId);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      res.status(204).end();
    })
    .get(apiPaths.me, async (_req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await me(db, actorOf(res)));
    })
    .get(apiPaths.tokens, async (_req, res) => {
      res.json(await tokensOf(db, userOf(res)));
    })
    .post(apiPaths.tokens, async (req, res) => {
      const user = userOf(res);
      const { name } = parseInput(tokenCreateSchema, req.body, 'body');
      res.status(201).json(await createToken(db, user, name));
    })
    .post(apiPaths.token(':id') + '/revoke', async (req, res) => {
      const user = userOf(res);
      const { id } = parseInput(idParamSchema, req.params, 'path');
      await revoke(db, user, id);
      res.status(204).end();
    })
    .get(apiPaths.users, requireRole('admin'), async (_req, res) => {
      res.json(await allUsers(db));
    })
    .post(apiPaths.users, requireRole('admin'), async (req, res) => {
      res.status(201).json(await createUser(db, parseInput(userCreateSchema, req.body, 'body')));
    })
    .post(apiPaths.user(':id'), requireRole('admin'), async (req, res) => {
      const { id } = parseInput(idParamSchema, req.params, 'path');
      res.json(await updateUser(db, id, parseInput(userUpdateSchema, req.body, 'body')));
    })
    .get(apiPaths.agencies, async (_req, res) => {
      res.json(await agencies(db));
    })
    .post(apiPaths.agencies, requireRole('admin'), async (req, res) => {
      const a = parseInput(agencySchema, req.body, 'body');
      res.status(201).json(await saveAgency(db, a));
    });
}
