// Frozen migration: never edit once landed; add a new one instead.
// Accounts (agencies, users with a role, sessions, personal API tokens), draft/published
// measurements, and the audit log: every INSERT/UPDATE/DELETE on the edited tables writes who, when,
// what, before and after, from a trigger, so no write path can forget it. The actor comes from the
// transaction setting `atalaya.actor` (user id) and `atalaya.request_id`, set by withActor().
import { sql, type Kysely } from 'kysely';

// Areas are reference layers replaced by imports of thousands of rows: their audit entry is the
// import itself (import_source: who, which file, its hash and report), not one entry per outline.
const AUDITED = ['activity', 'site', 'indicator', 'measurement', 'concession_review', 'import_source', 'raster_layer', 'app_user', 'agency', 'user_agency', 'api_token'];

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE TABLE agency (
      code text PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 100 AND code !~ '[[:cntrl:]]' AND code = btrim(code)),
      name text NOT NULL)`,
    // Every lead agency of an existing activity becomes an agency, so editors can be scoped to it.
    sql`INSERT INTO agency (code, name) SELECT DISTINCT lead_agency, lead_agency FROM activity ON CONFLICT DO NOTHING`,
    sql`CREATE TABLE app_user (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      email text NOT NULL UNIQUE CHECK (email = lower(email) AND email ~ '^[^@\\s]+@[^@\\s]+$'),
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('editor', 'admin')),
      password_hash text NOT NULL,
      disabled boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now())`,
    sql`CREATE TABLE user_agency (
      user_id integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
      agency_code text NOT NULL REFERENCES agency(code) ON UPDATE CASCADE,
      PRIMARY KEY (user_id, agency_code))`,
    // Only hashes of session ids and tokens are stored: a copy of the database opens no session.
    sql`CREATE TABLE user_session (
      id_hash text PRIMARY KEY,
      user_id integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL)`,
    sql`CREATE INDEX user_session_user_idx ON user_session (user_id)`,
    sql`CREATE TABLE api_token (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
      name text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      prefix text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz)`,
    sql`ALTER TABLE measurement ADD COLUMN published boolean NOT NULL DEFAULT true`,
    sql`CREATE TABLE audit_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor_user_id integer REFERENCES app_user(id) ON DELETE SET NULL,
      actor text NOT NULL,
      request_id text,
      action text NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'recompute')),
      table_name text NOT NULL,
      object_id text NOT NULL,
      before jsonb,
      after jsonb)`,
    sql`CREATE INDEX audit_log_object_idx ON audit_log (table_name, object_id, id)`,
    sql`CREATE FUNCTION atalaya_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        actor_id integer := nullif(current_setting('atalaya.actor', true), '')::integer;
        -- Secrets never reach the log; nor does the last use of a token (a read, not a change).
        before_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) - 'password_hash' - 'token_hash' - 'geom' - 'last_used_at' END;
        after_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) - 'password_hash' - 'token_hash' - 'geom' - 'last_used_at' END;
        row_id text;
      BEGIN
        -- PL/pgSQL plans each statement on first use, per table: OLD.geom is only read for sites.
        IF TG_OP = 'UPDATE' AND before_row = after_row THEN
          IF TG_TABLE_NAME <> 'site' THEN RETURN NULL; END IF; -- nothing changed
          IF OLD.geom::text = NEW.geom::text THEN RETURN NULL; END IF;
        END IF;
        IF TG_TABLE_NAME = 'site' THEN
          IF TG_OP <> 'INSERT' THEN before_row := before_row || jsonb_build_object('geom', ST_AsGeoJSON(OLD.geom, 6)::jsonb); END IF;
          IF TG_OP <> 'DELETE' THEN after_row := after_row || jsonb_build_object('geom', ST_AsGeoJSON(NEW.geom, 6)::jsonb); END IF;
        END IF;
        row_id := coalesce(after_row, before_row) ->> CASE TG_TABLE_NAME WHEN 'agency' THEN 'code' WHEN 'user_agency' THEN 'user_id' ELSE 'id' END;
        INSERT INTO audit_log (actor_user_id, actor, request_id, action, table_name, object_id, before, after)
        VALUES (actor_id,
                coalesce((SELECT email FROM app_user WHERE id = actor_id), nullif(current_setting('atalaya.actor_name', true), ''), 'system'),
                nullif(current_setting('atalaya.request_id', true), ''),
                lower(TG_OP), TG_TABLE_NAME, row_id, before_row, after_row);
        RETURN NULL;
      END $$`,
    ...AUDITED.map((t) => sql`CREATE TRIGGER ${sql.raw(`${t}_audit`)} AFTER INSERT OR UPDATE OR DELETE ON ${sql.raw(t)} FOR EACH ROW EXECUTE FUNCTION atalaya_audit()`),
  ];
  for (const s of statements) await s.execute(db);
}
