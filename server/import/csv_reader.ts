import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import { countingReadStream } from './byte_counter';
import { ImportError, type FeatureSource, type RawFeature } from './types';

const lonNames = ['lon', 'lng', 'long', 'longitude', 'x'];
const latNames = ['lat', 'latitude', 'y'];
const wktNames = ['wkt', 'geometry', 'geom', 'the_geom'];

export interface PositionColumns {
  wkt?: string;
  lon?: string;
  lat?: string;
}

/** Which columns hold the position: a WKT column and/or lon/lat (any usual spelling, case-insensitive). */
export function positionColumns(header: string[]): PositionColumns | undefined {
  const find = (names: string[]) => header.find((h) => names.includes(h.trim().toLowerCase()));
  const wkt = find(wktNames);
  const lon = find(lonNames);
  const lat = find(latNames);
  const cols: PositionColumns = { ...(wkt ? { wkt } : {}), ...(lon && lat ? { lon, lat } : {}) };
  return cols.wkt || cols.lon ? cols : undefined;
}

/** A CSV row's geometry: a WKT column, or a point from lon/lat; throws naming the row on bad numbers. */
export function rowGeometry(row: Record<string, string>, cols: PositionColumns, rowNumber: number): RawFeature['geometry'] {
  // A row may use either: the WKT when it has one, else its lon/lat.
  const wktText = cols.wkt ? (row[cols.wkt] ?? '').trim() : '';
  if (wktText) return { kind: 'wkt', text: wktText };
  if (!cols.lon || !cols.lat) return null;
  const lonText = (row[cols.lon] ?? '').trim();
  const latText = (row[cols.lat] ?? '').trim();
  if (!lonText && !latText) return null;
  const lon = Number(lonText.replace(',', '.'));
  const lat = Number(latText.replace(',', '.'));
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
    throw new ImportError(`Row ${rowNumber}: "${lonText}", "${latText}" in ${cols.lon}/${cols.lat} are not numbers.`);
  }
  return { kind: 'geojson', text: JSON.stringify({ type: 'Point', coordinates: [lon, lat] }) };
}

/** Streams CSV rows as objects keyed by header; row numbers count the header as row 1, as spreadsheets do. */
export function csvRows(file: string): { rows: AsyncIterable<Record<string, string>>; progress: () => { read: number; total: number } } {
  // Opened on the first read, so that a parse error cannot fire before anyone listens.
  let counted: ReturnType<typeof countingReadStream> | undefined;
  async function* rows(): AsyncGenerator<Record<string, string>> {
    counted = countingReadStream(file);
    const parser = counted.stream.pipe(parse({ columns: true, bom: true, skip_empty_lines: true, trim: true, relax_column_count: false }));
    try {
      for await (const row of parser as AsyncIterable<Record<string, string>>) yield row;
    } catch (e) {
      throw new ImportError(`${path.basename(file)} is not valid CSV: ${(e as Error).message}.`);
    }
  }
  const total = fs.statSync(file).size;
  return { rows: rows(), progress: () => ({ read: counted?.read() ?? 0, total }) };
}

export function openCsv(file: string, options: { srid?: number }): FeatureSource {
  const { rows, progress } = csvRows(file);
  async function* features(): AsyncGenerator<RawFeature> {
    let index = 0;
    let cols: ReturnType<typeof positionColumns>;
    for await (const row of rows) {
      if (index === 0) {
        cols = positionColumns(Object.keys(row));
        if (!cols) throw new ImportError(`${path.basename(file)} has no position columns: add lon and lat (or x and y, longitude and latitude) or a wkt column.`);
      }
      yield { index, geometry: rowGeometry(row, cols!, index + 2), properties: row };
      index++;
    }
  }
  return {
    format: 'csv',
    layer: path.basename(file).replace(/\.[^.]+$/, ''),
    srid: options.srid ?? 4326,
    sridSource: options.srid === undefined ? 'CSV default (WGS 84 longitude/latitude)' : '--srid',
    fields: undefined,
    features: features(),
    progress,
    close: async () => undefined,
  };
}
