// Frozen migration: never edit once landed; add a new one instead.
// Alert subscriptions and digests: what each user follows (an area, an activity's sites, a drawn
// polygon, or a rule), how they want to hear (frequency, language, e-mail, Atom feed, webhook), the
// alerts already reported to each subscription (so a rerun never reports one twice), the digests
// made, their map images, and their deliveries (retried until sent).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    sql`CREATE TABLE alert_digest_setting (
      user_id integer PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
      frequency text NOT NULL DEFAULT 'weekly' CHECK (frequency IN ('daily', 'weekly', 'off')),
      language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es')),
      email boolean NOT NULL DEFAULT true,
      feed_token_hash text UNIQUE,
      webhook_url text,
      webhook_secret text,
      last_run_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE TABLE alert_subscription (
      id serial PRIMARY KEY,
      user_id integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('area', 'activity', 'polygon', 'rule')),
      area_id integer REFERENCES area_row (id) ON DELETE CASCADE,
      activity_id integer REFERENCES activity (id) ON DELETE CASCADE,
      geom geometry(MultiPolygon, 4326),
      rule jsonb,
      label text NOT NULL,
      layer text,
      confidence text[] NOT NULL DEFAULT ARRAY['low', 'high', 'highest'],
      since date NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'area') = (area_id IS NOT NULL)),
      CHECK ((kind = 'activity') = (activity_id IS NOT NULL)),
      CHECK ((kind = 'polygon') = (geom IS NOT NULL)),
      CHECK ((kind = 'rule') = (rule IS NOT NULL))
    )`,
    sql`CREATE INDEX alert_subscription_user_idx ON alert_subscription (user_id)`,
    // The alerts reported to a subscription, per layer: sorted float64 keys (pixel index x 16384 + day).
    sql`CREATE TABLE alert_seen (
      subscription_id integer NOT NULL REFERENCES alert_subscription (id) ON DELETE CASCADE,
      layer_id integer NOT NULL REFERENCES raster_layer (id) ON DELETE CASCADE,
      keys bytea NOT NULL,
      PRIMARY KEY (subscription_id, layer_id)
    )`,
    sql`CREATE TABLE alert_digest (
      id serial PRIMARY KEY,
      user_id integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
      language text NOT NULL,
      content jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE INDEX alert_digest_user_idx ON alert_digest (user_id, created_at DESC)`,
    sql`CREATE TABLE alert_digest_map (
      digest_id integer NOT NULL REFERENCES alert_digest (id) ON DELETE CASCADE,
      n integer NOT NULL,
      png bytea NOT NULL,
      PRIMARY KEY (digest_id, n)
    )`,
    sql`CREATE TABLE alert_delivery (
      digest_id integer NOT NULL REFERENCES alert_digest (id) ON DELETE CASCADE,
      channel text NOT NULL CHECK (channel IN ('email', 'webhook')),
      target text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      sent_at timestamptz,
      PRIMARY KEY (digest_id, channel)
    )`,
    sql`CREATE INDEX alert_delivery_pending_idx ON alert_delivery (status) WHERE status = 'pending'`,
  ]) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['alert_delivery', 'alert_digest_map', 'alert_digest', 'alert_seen', 'alert_subscription', 'alert_digest_setting']) await sql`DROP TABLE IF EXISTS ${sql.raw(t)}`.execute(db);
}
