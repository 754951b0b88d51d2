import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../errors';

/** Write endpoints need `Authorization: Bearer <ATALAYA_ADMIN_TOKEN>` until accounts exist. */
export function requireAdminToken(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (!token) throw new AppError('unauthorized', 'Imports over HTTP are off: set ATALAYA_ADMIN_TOKEN on the server, or use `npm run import` on its machine.');
    const given = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const a = crypto.createHash('sha256').update(given).digest();
    const b = crypto.createHash('sha256').update(token).digest();
    if (!given || !crypto.timingSafeEqual(a, b)) throw new AppError('unauthorized', 'Missing or wrong admin token: send Authorization: Bearer <ATALAYA_ADMIN_TOKEN>.');
    next();
  };
}
