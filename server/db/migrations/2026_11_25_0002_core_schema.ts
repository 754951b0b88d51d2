// Frozen migration: never edit once landed; add a new one instead.
// Plain SQL so that the statement run on the embedded PostGIS and on a PostGIS server is the same.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE TABLE programme_goal (
      code text PRIMARY KEY CHECK (code ~ '^[A-Z]$'),
      title_en text NOT NULL,
      title_es text NOT NULL)`,
    sql`CREATE TABLE priority_area (
      code text PRIMARY KEY CHECK (code ~ '^[A-Z]$'),
      title_en text NOT NULL,
      title_es text NOT NULL)`,
    sql`CREATE TABLE objective (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      priority_area_code text NOT NULL REFERENCES priority_area(code) ON DELETE CASCADE,
      number integer NOT NULL,
      text_en text NOT NULL,
      text_es text NOT NULL,
      UNIQUE (priority_area_code, number))`,
    sql`CREATE TABLE action_area (
      code text PRIMARY KEY,
      priority_area_code text NOT NULL REFERENCES priority_area(code) ON DELETE CASCADE,
      title_en text NOT NULL,
      title_es text NOT NULL)`,
    sql`CREATE TABLE activity (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code text NOT NULL UNIQUE,
      title text NOT NULL,
      summary text NOT NULL DEFAULT '',
      priority_area_code text NOT NULL REFERENCES priority_area(code),
      lead_agency text NOT NULL,
      implementing_partners jsonb NOT NULL DEFAULT '[]',
      funding_status text NOT NULL CHECK (funding_status IN ('funded', 'partially_funded', 'seeking_funding', 'unfunded')),
      start_date date,
      end_date date,
      status text NOT NULL CHECK (status IN ('planned', 'ongoing', 'completed', 'suspended')),
      published boolean NOT NULL DEFAULT false,
      properties jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date))`,
    sql`CREATE INDEX activity_priority_area_idx ON activity (priority_area_code)`,
    sql`CREATE TABLE activity_action_area (
      activity_id integer NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
      action_area_code text NOT NULL REFERENCES action_area(code),
      PRIMARY KEY (activity_id, action_area_code))`,
    sql`CREATE TABLE activity_goal (
      activity_id integer NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
      goal_code text NOT NULL REFERENCES programme_goal(code),
      PRIMARY KEY (activity_id, goal_code))`,
    sql`CREATE TABLE site (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      activity_id integer NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
      source_id text,
      name text NOT NULL,
      kind text NOT NULL DEFAULT 'site',
      geom geometry(Geometry, 4326) NOT NULL CHECK (NOT ST_IsEmpty(geom)),
      properties jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now())`,
    sql`CREATE INDEX site_geom_idx ON site USING gist (geom)`,
    sql`CREATE INDEX site_activity_idx ON site (activity_id)`,
    // Kinds are data, not code: a new kind (mining area, indigenous territory) is one row.
    sql`CREATE TABLE area_kind (
      code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
      label_en text NOT NULL,
      label_es text NOT NULL,
      link_distance_m double precision NOT NULL DEFAULT 5000 CHECK (link_distance_m >= 0))`,
    sql`INSERT INTO area_kind (code, label_en, label_es, link_distance_m) VALUES
      ('protected_area', 'Protected area', 'Área natural protegida', 5000),
      ('forest_concession', 'Forest concession', 'Concesión forestal', 5000),
      ('glacier_highland', 'Glacier highland', 'Zona altoandina glaciar', 5000),
      ('watershed', 'Cross-boundary watershed', 'Cuenca transfronteriza', 10000)`,
    sql`CREATE TABLE import_source (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      file_name text NOT NULL,
      content_hash text NOT NULL,
      layer text,
      licence text,
      source text,
      target text NOT NULL,
      report jsonb NOT NULL DEFAULT '{}',
      imported_at timestamptz NOT NULL DEFAULT now())`,
    sql`CREATE TABLE area (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind text NOT NULL REFERENCES area_kind(code),
      source_id text NOT NULL,
      name text NOT NULL,
      properties jsonb NOT NULL DEFAULT '{}',
      geom geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
      area_ha double precision NOT NULL,
      import_source_id integer REFERENCES import_source(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (kind, source_id))`,
    sql`CREATE INDEX area_geom_idx ON area USING gist (geom)`,
    sql`CREATE INDEX area_kind_idx ON area (kind)`,
    sql`CREATE TABLE raster_layer (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL UNIQUE,
      kind text NOT NULL CHECK (kind IN ('lossyear', 'treecover', 'other')),
      version text,
      files jsonb NOT NULL,
      width integer NOT NULL CHECK (width > 0),
      height integer NOT NULL CHECK (height > 0),
      pixel_size_deg double precision NOT NULL CHECK (pixel_size_deg > 0),
      extent geometry(Polygon, 4326) NOT NULL,
      properties jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now())`,
    sql`CREATE TABLE link (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      site_id integer NOT NULL REFERENCES site(id) ON DELETE CASCADE,
      area_id integer NOT NULL REFERENCES area(id) ON DELETE CASCADE,
      relation text NOT NULL CHECK (relation IN ('inside', 'overlaps', 'within')),
      overlap_ha double precision,
      share_of_site double precision,
      distance_m double precision,
      computed_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (site_id, area_id))`,
    sql`CREATE INDEX link_area_idx ON link (area_id)`,
    sql`CREATE TABLE indicator (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      activity_id integer NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
      name text NOT NULL,
      unit text NOT NULL,
      direction text NOT NULL CHECK (direction IN ('lower_is_better', 'higher_is_better')),
      kind text NOT NULL CHECK (kind IN ('manual', 'spatial')),
      definition jsonb NOT NULL DEFAULT '{}',
      baseline_value double precision,
      baseline_year integer,
      target_value double precision,
      target_year integer,
      published boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now())`,
    sql`CREATE INDEX indicator_activity_idx ON indicator (activity_id)`,
    sql`CREATE TABLE measurement (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      indicator_id integer NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
      measured_at date NOT NULL,
      value double precision NOT NULL,
      source text,
      note text,
      created_at timestamptz NOT NULL DEFAULT now())`,
    sql`CREATE INDEX measurement_indicator_idx ON measurement (indicator_id)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'measurement', 'indicator', 'link', 'raster_layer', 'area', 'import_source', 'area_kind',
    'site', 'activity_goal', 'activity_action_area', 'activity', 'action_area', 'objective',
    'priority_area', 'programme_goal',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
