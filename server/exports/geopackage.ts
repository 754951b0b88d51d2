// Writes a GeoPackage (OGC 12-128r18) with one feature table, through sql.js (SQLite compiled to
// WebAssembly, already used to read GeoPackages on import). Hand-written because no maintained
// pure-JS GeoPackage writer runs offline without native dependencies; the format needs only the
// three core tables and the GeoPackage geometry header in front of standard WKB.
import initSqlJs from 'sql.js';

export interface GpkgFeature {
  wkb: Uint8Array | null;
  bbox: [number, number, number, number] | null; // minx, miny, maxx, maxy
  properties: Record<string, unknown>;
}

export interface GpkgColumn {
  name: string;
  type: 'TEXT' | 'REAL' | 'INTEGER';
}

/** "GP" header, version 0, flags: little-endian, xy envelope; srs_id; envelope (minx, maxx, miny, maxy); then WKB. */
function gpkgGeometry(f: GpkgFeature, srsId: number): Uint8Array | null {
  if (!f.wkb) return null;
  const header = new DataView(new ArrayBuffer(8 + 32));
  header.setUint8(0, 0x47);
  header.setUint8(1, 0x50);
  header.setUint8(2, 0);
  header.setUint8(3, f.bbox ? 0b0000_0011 : 0b0000_0001);
  header.setInt32(4, srsId, true);
  const size = f.bbox ? 40 : 8;
  if (f.bbox) {
    header.setFloat64(8, f.bbox[0], true);
    header.setFloat64(16, f.bbox[2], true);
    header.setFloat64(24, f.bbox[1], true);
    header.setFloat64(32, f.bbox[3], true);
  }
  const out = new Uint8Array(size + f.wkb.length);
  out.set(new Uint8Array(header.buffer, 0, size), 0);
  out.set(f.wkb, size);
  return out;
}

/** Column types from the values: numbers that are all whole become INTEGER, other numbers REAL, the rest TEXT. */
export function inferColumns(features: GpkgFeature[]): GpkgColumn[] {
  const types = new Map<string, GpkgColumn['type']>();
  for (const f of features) {
    for (const [k, v] of Object.entries(f.properties)) {
      if (v === null || v === undefined) {
        if (!types.has(k)) types.set(k, 'INTEGER'); // widened by the first real value
        continue;
      }
      const now = types.get(k);
      const t: GpkgColumn['type'] = typeof v === 'number' ? (Number.isInteger(v) ? 'INTEGER' : 'REAL') : typeof v === 'boolean' ? 'INTEGER' : 'TEXT';
      types.set(k, !now || now === t ? t : now === 'TEXT' || t === 'TEXT' ? 'TEXT' : 'REAL');
    }
  }
  return [...types].map(([name, type]) => ({ name, type }));
}

export async function writeGeoPackage(table: string, geometryType: string, features: GpkgFeature[]): Promise<Uint8Array> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  try {
    const columns = inferColumns(features).filter((c) => !['fid', 'geom'].includes(c.name.toLowerCase()));
    const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
    db.run('PRAGMA application_id = 1196444487'); // "GPKG"
    db.run('PRAGMA user_version = 10300');
    db.run(`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`);
    db.run(`INSERT INTO gpkg_spatial_ref_sys VALUES
      ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
      ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
      ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')`);
    db.run(`CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`);
    db.run(`CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name))`);
    db.run(`CREATE TABLE ${q(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB${columns.map((c) => `, ${q(c.name)} ${c.type}`).join('')})`);
    const ext = features.reduce<[number, number, number, number] | null>((e, f) => (!f.bbox ? e : !e ? [...f.bbox] : [Math.min(e[0], f.bbox[0]), Math.min(e[1], f.bbox[1]), Math.max(e[2], f.bbox[2]), Math.max(e[3], f.bbox[3])]), null);
    db.run(`INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, 4326)`, [table, table, ext?.[0] ?? null, ext?.[1] ?? null, ext?.[2] ?? null, ext?.[3] ?? null]);
    db.run(`INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)`, [table, geometryType]);
    const insert = db.prepare(`INSERT INTO ${q(table)} (geom${columns.map((c) => `, ${q(c.name)}`).join('')}) VALUES (?${columns.map(() => ', ?').join('')})`);
    db.run('BEGIN');
    for (const f of features) {
      insert.run([
        gpkgGeometry(f, 4326),
        ...columns.map((c) => {
          const v = f.properties[c.name];
          if (v === null || v === undefined) return null;
          if (typeof v === 'boolean') return v ? 1 : 0;
          if (c.type === 'TEXT') return typeof v === 'object' ? JSON.stringify(v) : String(v);
          return Number(v);
        }),
      ]);
    }
    db.run('COMMIT');
    insert.free();
    return db.export();
  } finally {
    db.close();
  }
}
