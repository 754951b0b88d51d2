// Frozen migration: never edit once landed; add a new one instead.
// What each fetch of a real source left: per source and URL the validators to ask "changed?" next
// time (ETag, Last-Modified), the checksum of what was taken, when, and how it went.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE source_fetch (
    source_id text NOT NULL,
    url text NOT NULL,
    etag text,
    last_modified text,
    sha256 text,
    bytes bigint,
    features integer,
    status text NOT NULL CHECK (status IN ('ok', 'not_modified', 'failed')),
    message text,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_id, url)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS source_fetch`.execute(db);
}
