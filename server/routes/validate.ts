import type { z } from 'zod';
import { BadRequestError } from '../errors';

/** Parses request input with a contract schema; a failure names each bad field and what it must be. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown, where: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
  throw new BadRequestError(`Invalid ${where}: ${details}`);
}
