// Operations that need an account answer 401 to the public before anything reads the body: an
// anonymous caller learns nothing about validation (and costs nothing) from a write it may not make.
// Which operations those are comes from the operations table the OpenAPI document is built from.
import type { RequestHandler } from 'express';
import { operations } from '../openapi/operations';
import { UnauthorizedError } from '../errors';
import { actorOf } from './authenticate';

function matcher(path: string): RegExp {
  const escaped = path.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${escaped.join('/')}/?$`);
}

const guarded = operations.filter((o) => o.auth).map((o) => ({ method: o.method.toUpperCase(), pattern: matcher(o.path) }));

export const requireSignIn: RequestHandler = (req, res, next) => {
  if (actorOf(res).kind === 'public' && guarded.some((g) => (g.method === req.method || (g.method === 'GET' && req.method === 'HEAD')) && g.pattern.test(req.path))) {
    throw new UnauthorizedError('Sign in (or send a personal API token as "Authorization: Bearer atk_...") to do this.');
  }
  next();
};
