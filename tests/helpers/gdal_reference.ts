import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian's python3 with python3-gdal and numpy (the rasterstats method); tests skip when absent. */
export const PYTHON = '/usr/bin/python3';
export const hasGdalPython = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'from osgeo import gdal; import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasGdalPython) console.warn('zonal statistics tests against GDAL skip: /usr/bin/python3 lacks python3-gdal or python3-numpy');

export interface GdalZonal {
  pixels: number;
  forest: number;
  /** Pixels holding the file's no-data value (left out of counts). */
  nodata: number;
  counts: Record<string, number>;
}

/** GDAL's per-feature counts for GeoJSON geometries on a loss GeoTIFF (and optional tree cover). */
export function gdalZonal(lossTif: string, geometries: unknown[], cover?: { tif: string; threshold: number }): GdalZonal[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-gdal-'));
  try {
    const features = path.join(dir, 'features.geojson');
    fs.writeFileSync(features, JSON.stringify({ type: 'FeatureCollection', features: geometries.map((g, i) => ({ type: 'Feature', properties: { i }, geometry: g })) }));
    const script = fileURLToPath(new URL('./gdal_zonal.py', import.meta.url));
    const args = [script, lossTif, features, ...(cover ? [cover.tif, String(cover.threshold)] : [])];
    return JSON.parse(execFileSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] })) as GdalZonal[];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
