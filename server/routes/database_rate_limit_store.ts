// express-rate-limit's counters kept in Atalaya's own database, so the limits hold across every web
// process (its default memory store gives each process its own count). Written here rather than
// taken from the published PostgreSQL stores: those open their own `pg` pool and run their own
// schema migrations, which the embedded database (one PGlite connection, Atalaya's migrations)
// cannot serve; this one is the Store interface over a repository, on either database.
import type { Kysely } from 'kysely';
import type { IncrementResponse, Options, Store } from 'express-rate-limit';
import type { Database } from '../db/schema';
import { countHit, dropExpiredHits, forgetHits, hitsOf, uncountHit } from '../db/repositories/rate_limits.repository';

export class DatabaseRateLimitStore implements Store {
  private windowMs = 60_000;
  readonly localKeys = false;
  private hitsSinceSweep = 0;

  constructor(
    private readonly db: Kysely<Database>,
    /** Keeps the keys of different limiters apart in the one table. */
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string) {
    const h = await hitsOf(this.db, this.prefix + key);
    return h && { totalHits: h.hits, resetTime: h.resetAt };
  }

  async increment(key: string): Promise<IncrementResponse> {
    // Expired counters are swept now and then by whichever process counts, instead of by a timer.
    if (++this.hitsSinceSweep >= 500) {
      this.hitsSinceSweep = 0;
      await dropExpiredHits(this.db);
    }
    const h = await countHit(this.db, this.prefix + key, this.windowMs);
    return { totalHits: h.hits, resetTime: h.resetAt };
  }

  async decrement(key: string): Promise<void> {
    await uncountHit(this.db, this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    await forgetHits(this.db, this.prefix + key);
  }
}
