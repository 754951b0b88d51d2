// What the public may see: published activities, their sites, published indicators of published
// activities and their published measurements. Public routes ask here before answering about one object.
import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import { NotFoundError } from '../../errors';

export async function requirePublished(db: Kysely<Database>, subject: 'area' | 'site' | 'activity' | 'indicator', id: number): Promise<void> {
  if (subject === 'area') return; // reference layers are public
  const row =
    subject === 'activity'
      ? await db.selectFrom('activity').select('id').where('id', '=', id).where('published', '=', true).executeTakeFirst()
      : subject === 'site'
        ? await db.selectFrom('site as s').innerJoin('activity as a', 'a.id', 's.activity_id').select('s.id').where('s.id', '=', id).where('a.published', '=', true).executeTakeFirst()
        : await db.selectFrom('indicator as i').innerJoin('activity as a', 'a.id', 'i.activity_id').select('i.id').where('i.id', '=', id).where('i.published', '=', true).where('a.published', '=', true).executeTakeFirst();
  if (!row) throw new NotFoundError(`No ${subject} with id ${id}.`);
}

