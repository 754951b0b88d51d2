// Reads a GeoJSON file of context points (e.g. AidData's geocoded GEF projects) into rows, checking
// what the map and the database rely on: every feature a Point in longitude/latitude, an id and a
// name, and a bounded count. A bad file fails naming the file and the feature, before anything is
// written.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { contextLayerChecksum, replaceContextLayer, type ContextPointInput } from '../db/repositories/context_points.repository';
import { BadRequestError } from '../errors';

/** More points than a map layer of context should carry (the whole GEF release for Peru is 19). */
export const MAX_CONTEXT_POINTS = 20_000;

export interface ContextLayerSpec {
  file: string;
  code: string;
  label: { en: string; es: string };
  fields: { id: string; name: string; keep?: string[] | undefined };
  licence: string;
  source: string;
}

export function readContextPoints(text: string, spec: ContextLayerSpec): ContextPointInput[] {
  const fail = (why: string) => new BadRequestError(`${spec.file}: ${why}`);
  let doc: { type?: unknown; features?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch (err) {
    throw fail(`not JSON (${(err as Error).message}).`);
  }
  if (doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) throw fail('is not a GeoJSON FeatureCollection.');
  if (doc.features.length > MAX_CONTEXT_POINTS) throw fail(`has ${doc.features.length} features; a context layer holds at most ${MAX_CONTEXT_POINTS}.`);
  return (doc.features as { geometry?: { type?: string; coordinates?: unknown }; properties?: Record<string, unknown> | null }[]).map((f, i) => {
    const c = f.geometry?.coordinates;
    if (f.geometry?.type !== 'Point' || !Array.isArray(c) || typeof c[0] !== 'number' || typeof c[1] !== 'number') throw fail(`feature ${i} is not a Point (context layers are points).`);
    const [lon, lat] = c as [number, number];
    if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) throw fail(`feature ${i} has (${lon}, ${lat}): not longitude/latitude in EPSG:4326 (reproject the file).`);
    const p = f.properties ?? {};
    const id = p[spec.fields.id];
    const name = p[spec.fields.name];
    if (id === undefined || id === null || id === '') throw fail(`feature ${i} has no "${spec.fields.id}" (the id field).`);
    if (typeof name !== 'string' || name.trim() === '') throw fail(`feature ${i} has no "${spec.fields.name}" (the name field).`);
    const keep = spec.fields.keep ?? Object.keys(p);
    return { sourceId: String(id), name: name.trim(), properties: Object.fromEntries(keep.filter((k) => p[k] !== undefined && p[k] !== '').map((k) => [k, p[k]])), lon, lat };
  });
}

/** Loads the layer unless this very file was loaded before; replaces an older one whole. Returns whether it loaded. */
export async function ensureContextLayer(db: Kysely<Database>, dir: string, spec: ContextLayerSpec): Promise<boolean> {
  const text = fs.readFileSync(path.join(dir, spec.file), 'utf8');
  const sha256 = createHash('sha256').update(JSON.stringify(spec)).update(text).digest('hex');
  if ((await contextLayerChecksum(db, spec.code)) === sha256) return false;
  const points = readContextPoints(text, spec);
  await replaceContextLayer(db, { code: spec.code, labelEn: spec.label.en, labelEs: spec.label.es, source: spec.source, licence: spec.licence, sha256 }, points);
  return true;
}
