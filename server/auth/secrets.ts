// Session ids, CSRF tokens and API tokens: 32 random bytes; only SHA-256 hashes are stored.
import crypto from 'node:crypto';

export const newSecret = (bytes = 32) => crypto.randomBytes(bytes).toString('base64url');
export const hashSecret = (secret: string) => crypto.createHash('sha256').update(secret).digest('hex');
export const API_TOKEN_PREFIX = 'atk_';
export const newApiToken = () => `${API_TOKEN_PREFIX}${newSecret()}`;

export function sameSecret(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}
