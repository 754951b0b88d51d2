// GeoPackage is SQLite; sql.js (SQLite compiled to WebAssembly) reads it without a native build.
// It loads the whole file into memory, which is fine for the vector layers agencies publish.
import fs from 'node:fs';
import path from 'node:path';
import initSqlJs, { type Database as SqlDatabase } from 'sql.js';
import { gpkgBlobToWkbHex } from './gpkg_geometry';
import { ImportError, type FeatureSource, type RawFeature } from './types';

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function queryRows(db: SqlDatabase, sql: string, params: (string | number)[] = []): Record<string, unknown>[] {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    const rows: Record<string, unknown>[] = [];
    while (stmt.step()) rows.push(stmt.getAsObject());
    return rows;
  } finally {
    stmt.free();
  }
}

export async function openGeoPackage(file: string, options: { layer?: string; srid?: number }): Promise<FeatureSource> {
  const name = path.basename(file);
  const SQL = await initSqlJs();
  let db: SqlDatabase;
  let layers: Record<string, unknown>[];
  try {
    db = new SQL.Database(fs.readFileSync(file));
    layers = queryRows(db, `SELECT c.table_name, g.column_name, g.srs_id, s.organization, s.organization_coordsys_id
      FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
      LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id WHERE c.data_type = 'features' ORDER BY c.table_name`);
  } catch (e) {
    throw new ImportError(`${name} is not a readable GeoPackage (${(e as Error).message}). Export it again from QGIS or GDAL.`);
  }
  if (layers.length === 0) throw new ImportError(`${name} has no feature layer.`);
  const layer = options.layer ? layers.find((l) => l.table_name === options.layer) : layers[0];
  if (!layer) throw new ImportError(`${name} has no layer "${options.layer}"; its layers are ${layers.map((l) => l.table_name).join(', ')}.`);
  if (!options.layer && layers.length > 1) {
    throw new ImportError(`${name} has ${layers.length} layers (${layers.map((l) => l.table_name).join(', ')}); choose one with --layer.`);
  }
  const table = String(layer.table_name);
  const geomColumn = String(layer.column_name);
  let srid = options.srid;
  let sridSource = '--srid';
  if (srid === undefined) {
    if (String(layer.organization ?? '').toUpperCase() !== 'EPSG') {
      throw new ImportError(`Layer ${table} of ${name} uses coordinate system ${layer.srs_id} (${layer.organization ?? 'undefined'}), not an EPSG code; set it with --srid <EPSG code>.`);
    }
    srid = Number(layer.organization_coordsys_id);
    sridSource = 'gpkg_spatial_ref_sys';
  }
  const columns = queryRows(db, `PRAGMA table_info(${quoteIdent(table)})`);
  const pk = columns.find((c) => Number(c.pk) === 1)?.name as string | undefined;
  const fields = columns.map((c) => String(c.name)).filter((c) => c !== geomColumn);
  const total = Number(queryRows(db, `SELECT count(*) AS n FROM ${quoteIdent(table)}`)[0]!.n);
  let read = 0;
  async function* features(): AsyncGenerator<RawFeature> {
    const stmt = db.prepare(`SELECT * FROM ${quoteIdent(table)}${pk ? ` ORDER BY ${quoteIdent(pk)}` : ''}`);
    try {
      let index = 0;
      while (stmt.step()) {
        const row = stmt.getAsObject();
        const blob = row[geomColumn];
        let hex: string | null = null;
        if (blob instanceof Uint8Array) {
          try {
            hex = gpkgBlobToWkbHex(blob);
          } catch (e) {
            throw new ImportError(`Feature ${index} of ${table} has a corrupt geometry: ${(e as Error).message}.`);
          }
        }
        const properties: Record<string, unknown> = {};
        for (const f of fields) properties[f] = row[f];
        read = index + 1;
        yield { index, geometry: hex ? { kind: 'wkb', hex } : null, properties, ...(pk ? { id: row[pk] as number } : {}) };
        index++;
      }
    } finally {
      stmt.free();
    }
  }
  return {
    format: 'geopackage',
    layer: table,
    srid,
    sridSource,
    fields,
    features: features(),
    progress: () => ({ read, total }),
    close: async () => db.close(),
  };
}
