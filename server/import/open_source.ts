import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { openCsv } from './csv_reader';
import { openGeoJson, openGeoJsonSeq, isNewlineDelimited } from './geojson_reader';
import { openGeoPackage } from './geopackage_reader';
import { openShapefileDir } from './shapefile_reader';
import { ImportError, type FeatureSource, type ImportOptions } from './types';
import { extractZip, type ZipLimits } from './zip_extract';

export type FileFormat = 'zip' | 'geopackage' | 'geojson' | 'geojsonseq' | 'csv';

function magic(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = fs.readSync(fd, buf, 0, 16, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** The format of a file from its first bytes, then its extension; throws for anything else. */
export function detectFormat(file: string, displayName = path.basename(file)): FileFormat {
  if (!fs.existsSync(file)) throw new ImportError(`${displayName} does not exist.`);
  if (fs.statSync(file).size === 0) throw new ImportError(`${displayName} is empty.`);
  const head = magic(file);
  if (head[0] === 0x50 && head[1] === 0x4b) return 'zip';
  if (head.toString('latin1').startsWith('SQLite format 3')) return 'geopackage';
  const ext = path.extname(displayName).toLowerCase();
  if (['.zip'].includes(ext)) return 'zip'; // a zip without the PK magic is truncated: extractZip says so
  if (ext === '.gpkg') return 'geopackage';
  if (ext === '.csv' || ext === '.txt') return 'csv';
  if (['.geojson', '.json', '.geojsonl', '.geojsons', '.ndjson', '.jsonl', '.geojsonseq'].includes(ext)) {
    return isNewlineDelimited(file) ? 'geojsonseq' : 'geojson';
  }
  if (head.toString('utf8').trimStart().startsWith('{')) return isNewlineDelimited(file) ? 'geojsonseq' : 'geojson';
  throw new ImportError(
    `${displayName}: unsupported format. Atalaya imports GeoJSON (.geojson, .json, newline-delimited .geojsonl), zipped ESRI Shapefiles (.zip), GeoPackage (.gpkg) and CSV (.csv).`,
  );
}

/** Opens any supported file as a feature stream; `close()` removes whatever was extracted. */
export async function openFeatureSource(
  db: Kysely<Database>,
  file: string,
  options: ImportOptions & { layer?: string; zipLimits?: ZipLimits },
): Promise<FeatureSource> {
  const displayName = options.fileName ?? path.basename(file);
  const format = detectFormat(file, displayName);
  let source: FeatureSource;
  switch (format) {
    case 'zip': {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-zip-'));
      try {
        await extractZip(file, dir, options.zipLimits);
        const shp = await openShapefileDir(db, dir, displayName, options);
        return { ...shp, close: async () => fs.rmSync(dir, { recursive: true, force: true }) };
      } catch (e) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw e;
      }
    }
    case 'geopackage':
      source = await openGeoPackage(file, options);
      break;
    case 'geojsonseq':
      source = openGeoJsonSeq(file);
      break;
    case 'csv':
      source = openCsv(file, options);
      break;
    default:
      source = openGeoJson(file);
  }
  if (options.srid !== undefined && source.sridSource !== '--srid') return { ...source, srid: options.srid, sridSource: '--srid' };
  return source;
}
