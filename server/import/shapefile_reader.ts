import fs from 'node:fs';
import path from 'node:path';
import * as shapefile from 'shapefile';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { identifyCrs, crsNameOfWkt } from './crs';
import { ImportError, type FeatureSource, type RawFeature } from './types';

function recordCountOfShx(file: string): number {
  return (fs.statSync(file).size - 100) / 8; // 100-byte header, then 8 bytes per record
}

function recordCountOfDbf(file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(8);
    if (fs.readSync(fd, header, 0, 8, 0) < 8) throw new ImportError(`${path.basename(file)} is truncated: it has no dBASE header.`);
    return header.readUInt32LE(4);
  } finally {
    fs.closeSync(fd);
  }
}

/** dBASE code page names in .cpg files, mapped to TextDecoder labels. */
function encodingOfCpg(text: string): string {
  const t = text.trim().toUpperCase();
  if (/^(UTF-?8|65001)$/.test(t)) return 'utf-8';
  if (/^(ISO[-_ ]?8859[-_ ]?1|LATIN1|88591|1252|CP1252|WINDOWS-1252|ANSI 1252)$/.test(t)) return t.includes('1252') ? 'windows-1252' : 'iso-8859-1';
  return t.toLowerCase();
}

/**
 * Opens the shapefile whose parts are in `dir` (already extracted). Needs .shp, .shx, .dbf and .prj
 * (or --srid); honours .cpg, else --encoding, else UTF-8 with a fallback note in the report.
 */
export async function openShapefileDir(
  db: Kysely<Database>,
  dir: string,
  original: string,
  options: { srid?: number; encoding?: string },
): Promise<FeatureSource> {
  const files = fs.readdirSync(dir);
  const shps = files.filter((f) => /\.shp$/i.test(f));
  if (shps.length === 0) throw new ImportError(`${original} holds no .shp file; a zipped shapefile needs its .shp, .shx, .dbf and .prj.`);
  if (shps.length > 1) throw new ImportError(`${original} holds ${shps.length} shapefiles (${shps.join(', ')}); import one layer per zip.`);
  const base = shps[0]!.replace(/\.shp$/i, '');
  const part = (ext: string) => files.find((f) => f.toLowerCase() === `${base.toLowerCase()}.${ext}`);
  for (const ext of ['shx', 'dbf']) {
    if (!part(ext)) throw new ImportError(`${original} has ${base}.shp but no ${base}.${ext}; add it to the zip.`);
  }
  const shx = recordCountOfShx(path.join(dir, part('shx')!));
  const dbf = recordCountOfDbf(path.join(dir, part('dbf')!));
  if (!Number.isInteger(shx) || shx !== dbf) {
    throw new ImportError(`${original}: ${base}.shx indexes ${shx} shapes but ${base}.dbf has ${dbf} records; the parts come from different versions of the layer. Export it again.`);
  }
  let srid = options.srid;
  let sridSource = '--srid';
  if (srid === undefined) {
    const prj = part('prj');
    if (!prj) throw new ImportError(`${original} has no ${base}.prj, so its coordinate system is unknown; add the .prj or set it with --srid <EPSG code> (e.g. 32719 for WGS 84 / UTM 19S, 24879 for PSAD56 / UTM 19S).`);
    const wkt = fs.readFileSync(path.join(dir, prj), 'utf8');
    srid = await identifyCrs(db, wkt);
    if (srid === undefined) {
      throw new ImportError(`The coordinate system in ${base}.prj ("${crsNameOfWkt(wkt) ?? wkt.slice(0, 60)}") is not one Atalaya recognises; set it with --srid <EPSG code>.`);
    }
    sridSource = `${base}.prj`;
  }
  const cpg = part('cpg');
  const encoding = cpg ? encodingOfCpg(fs.readFileSync(path.join(dir, cpg), 'utf8')) : (options.encoding ?? 'utf-8');
  try {
    new TextDecoder(encoding);
  } catch {
    throw new ImportError(`Unknown text encoding "${encoding}"${cpg ? ` in ${base}.cpg` : ''}; use --encoding with a name such as utf-8 or iso-8859-1.`);
  }
  const shpPath = path.join(dir, shps[0]!);
  const dbfPath = path.join(dir, part('dbf')!);
  const total = fs.statSync(shpPath).size;
  let read = 0;
  let source: Awaited<ReturnType<typeof shapefile.open>>;
  try {
    source = await shapefile.open(shpPath, dbfPath, { encoding });
  } catch (e) {
    throw new ImportError(`${base}.shp cannot be read: ${(e as Error).message}.`);
  }
  async function* features(): AsyncGenerator<RawFeature> {
    for (let index = 0; index < dbf; index++) {
      let r: { done: boolean; value: GeoJSON.Feature };
      try {
        r = await source.read();
      } catch (e) {
        throw new ImportError(`${base}.shp is corrupt at shape ${index}: ${(e as Error).message}. Export the layer again.`);
      }
      if (r.done) throw new ImportError(`${base}.shp ends after ${index} shapes but its index promises ${dbf}; the file is truncated.`);
      read = Math.round(((index + 1) / Math.max(1, dbf)) * total);
      yield { index, geometry: r.value.geometry ? { kind: 'geojson', text: JSON.stringify(r.value.geometry) } : null, properties: r.value.properties ?? {} };
    }
    read = total;
  }
  return {
    format: 'shapefile',
    layer: base,
    srid,
    sridSource,
    fields: undefined,
    features: features(),
    progress: () => ({ read, total }),
    close: async () => undefined,
  };
}
