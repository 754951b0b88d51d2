// GeoJSON FeatureCollections are streamed feature by feature, so a 500 MB file never sits in memory;
// newline-delimited GeoJSON is read line by line.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { FeatureSplitError, splitFeatures } from './feature_splitter';
import { countingReadStream } from './byte_counter';
import { sridOfGeoJsonCrsName } from './crs';
import { ImportError, type FeatureSource, type RawFeature } from './types';

interface GeoJsonFeature {
  type?: unknown;
  id?: unknown;
  geometry?: unknown;
  properties?: unknown;
}

function toRawFeature(value: GeoJsonFeature, index: number): RawFeature {
  if (!value || typeof value !== 'object' || value.type !== 'Feature') {
    throw new ImportError(`Feature ${index} is not a GeoJSON Feature (its "type" is ${JSON.stringify(value?.type)}).`);
  }
  const props = value.properties && typeof value.properties === 'object' ? (value.properties as Record<string, unknown>) : {};
  const g = value.geometry as { type?: unknown; coordinates?: unknown; geometries?: unknown } | null | undefined;
  const empty = !g || (Array.isArray(g.coordinates) && g.coordinates.length === 0) || (Array.isArray(g.geometries) && g.geometries.length === 0);
  return {
    index,
    geometry: empty ? null : { kind: 'geojson', text: JSON.stringify(g) },
    properties: props,
    ...(typeof value.id === 'string' || typeof value.id === 'number' ? { id: value.id } : {}),
  };
}

/** Reads the start of the file to learn its shape and CRS without parsing all of it. */
function head(file: string, bytes = 65536): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

function declaredSrid(text: string): number | undefined {
  const m = text.match(/"crs"\s*:\s*\{[^{}]*"properties"\s*:\s*\{[^{}]*"name"\s*:\s*"([^"]+)"/);
  if (!m) return undefined;
  const srid = sridOfGeoJsonCrsName(m[1]!);
  if (srid === undefined) throw new ImportError(`The GeoJSON "crs" ${m[1]} is not an EPSG code; set the coordinate system with --srid <EPSG code>.`);
  return srid;
}

export function isNewlineDelimited(file: string): boolean {
  if (/\.(geojsonl|geojsons|ndjson|jsonl|geojsonseq)$/i.test(file)) return true;
  // eslint-disable-next-line no-control-regex -- RFC 8142 record separator (0x1E) before each GeoJSON text
  const start = head(file, 8192).replace(/^\u001e/, '').trimStart();
  const firstLine = start.split('\n', 1)[0]!.trim();
  if (!firstLine.startsWith('{') || !firstLine.endsWith('}')) return false;
  try {
    return (JSON.parse(firstLine) as { type?: string }).type === 'Feature';
  } catch {
    return false;
  }
}

export function openGeoJson(file: string): FeatureSource {
  const start = head(file);
  const trimmed = start.trimStart();
  if (!trimmed.startsWith('{')) throw new ImportError(`${path.basename(file)} is not GeoJSON: it does not start with a JSON object.`);
  if (!/"type"\s*:\s*"FeatureCollection"/.test(start)) {
    throw new ImportError(`${path.basename(file)} is not a GeoJSON FeatureCollection (a single Feature or geometry cannot be imported as a layer); wrap it in {"type":"FeatureCollection","features":[...]}.`);
  }
  const srid = declaredSrid(start);
  // The stream is opened on the first read: opened earlier, an error could fire before anyone listens.
  let counted: ReturnType<typeof countingReadStream> | undefined;
  async function* features(): AsyncGenerator<RawFeature> {
    counted = countingReadStream(file);
    let index = 0;
    try {
      for await (const value of splitFeatures(counted.stream as AsyncIterable<Buffer>)) {
        yield toRawFeature(value as GeoJsonFeature, index++);
      }
    } catch (e) {
      if (e instanceof FeatureSplitError) {
        throw new ImportError(`${path.basename(file)} is not valid JSON near byte ${e.byteOffset} (feature ${index}): ${e.message}. Fix the file (or re-export it) and import again.`);
      }
      throw e;
    }
  }
  const total = fs.statSync(file).size;
  return {
    format: 'geojson',
    layer: path.basename(file).replace(/\.[^.]+$/, ''),
    srid: srid ?? 4326,
    sridSource: srid === undefined ? 'GeoJSON default (RFC 7946: WGS 84)' : 'GeoJSON crs member',
    fields: undefined,
    features: features(),
    progress: () => ({ read: counted?.read() ?? 0, total }),
    close: async () => void (counted?.stream as { destroy?: () => void } | undefined)?.destroy?.(),
  };
}

export function openGeoJsonSeq(file: string): FeatureSource {
  let counted: ReturnType<typeof countingReadStream> | undefined;
  let lines: readline.Interface | undefined;
  async function* features(): AsyncGenerator<RawFeature> {
    counted = countingReadStream(file);
    lines = readline.createInterface({ input: counted.stream, crlfDelay: Infinity });
    let index = 0;
    let lineNo = 0;
    for await (const raw of lines) {
      lineNo++;
      // eslint-disable-next-line no-control-regex -- RFC 8142 record separators
      const line = raw.replace(/^\u001e/, '').trim();
      if (!line) continue;
      let value: GeoJsonFeature;
      try {
        value = JSON.parse(line) as GeoJsonFeature;
      } catch (e) {
        throw new ImportError(`Line ${lineNo} of ${path.basename(file)} is not valid JSON: ${(e as Error).message}.`);
      }
      yield toRawFeature(value, index++);
    }
  }
  const total = fs.statSync(file).size;
  return {
    format: 'geojsonseq',
    layer: path.basename(file).replace(/\.[^.]+$/, ''),
    srid: 4326,
    sridSource: 'GeoJSON default (RFC 7946: WGS 84)',
    fields: undefined,
    features: features(),
    progress: () => ({ read: counted?.read() ?? 0, total }),
    close: async () => lines?.close(),
  };
}
