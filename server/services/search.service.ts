// Search across published activities, their sites and areas (the route's one call).
import type { Kysely } from 'kysely';
import type { SearchQuery } from '../api';
import type { Database } from '../db/schema';
import { searchEverything } from '../db/repositories/search.repository';

export function search(db: Kysely<Database>, query: SearchQuery) {
  return searchEverything(db, query);
}
