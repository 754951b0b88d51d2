import { AppError } from '../errors';

/** A feature as read from any format, before reprojection and repair (those happen in PostGIS). */
export interface RawFeature {
  /** 0-based position in the file, used in every message and in the report. */
  index: number;
  geometry: RawGeometry | null;
  properties: Record<string, unknown>;
  /** An id the format itself carries (GeoJSON `id`, GeoPackage primary key). */
  id?: string | number;
}

export type RawGeometry =
  | { kind: 'geojson'; text: string }
  | { kind: 'wkb'; hex: string }
  | { kind: 'wkt'; text: string };

export interface FeatureSource {
  format: 'geojson' | 'geojsonseq' | 'shapefile' | 'geopackage' | 'csv';
  /** Layer name (shapefile base name, GeoPackage table, file name otherwise). */
  layer: string;
  /** EPSG code of the coordinates; undefined means the format did not say and no --srid was given. */
  srid: number;
  /** Where the CRS came from, for the report: ".prj", "gpkg_spatial_ref_sys", "GeoJSON crs", "default", "--srid". */
  sridSource: string;
  /** Property names present in the source, for checking --id-field and friends early. */
  fields: string[] | undefined;
  features: AsyncIterable<RawFeature>;
  /** Bytes of the input read so far and in all, for progress. */
  progress(): { read: number; total: number };
  close(): Promise<void>;
}

/** Input the user must fix: always a 400 with a message that says what to do. */
export class ImportError extends AppError {
  constructor(message: string) {
    super('bad_request', message);
    this.name = 'ImportError';
  }
}

export interface ImportOptions {
  /** Property holding the stable source id; default: the format's id, else the feature index. */
  idField?: string;
  nameField?: string;
  /** Properties to keep as attributes; default: all. */
  attributes?: string[];
  /** Overrides the CRS the file declares (or supplies one it lacks). */
  srid?: number;
  /** Text encoding of a shapefile's .dbf when it has no .cpg (Latin-1 is common in Peru). */
  encoding?: string;
  licence?: string;
  source?: string;
  /** Original file name, for provenance (uploads arrive in a temporary file). */
  fileName?: string;
  onProgress?: (p: { read: number; total: number; features: number }) => void;
  signal?: AbortSignal;
}

export interface ImportReport {
  importSourceId: number;
  file: string;
  contentHash: string;
  format: FeatureSource['format'];
  layer: string;
  srid: number;
  sridSource: string;
  target: string;
  features: number;
  inserted: number;
  updated: number;
  /** Features whose geometry was invalid and repaired with ST_MakeValid (feature indexes). */
  repaired: number[];
  /** Single polygons stored as MultiPolygon (a count: almost every file has them). */
  forcedMulti: number;
  skippedNullGeometry: number[];
  skippedEmptyGeometry: number[];
  skippedWrongGeometryType: number[];
  elapsedMs: number;
}
