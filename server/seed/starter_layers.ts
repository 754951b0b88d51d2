// The starter set of real open layers (data/starter, listed in starter.json with their licences):
// Peru's departments and provinces, the SERNANP protected areas of Madre de Dios, the RGI 7 glacier
// complexes, the HydroBASINS sub-basins of Madre de Dios, the Amazon Mining Watch footprints and
// its first-year raster, and AidData's geocoded GEF projects as a context layer of points. Loaded on a first start through the same importer and raster store a
// user's files go through, each once (by content), with its source and licence as provenance.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Feature, FeatureCollection } from 'geojson';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema';
import type { Logger } from '../log';
import { anyImportOf, importedBefore } from '../db/repositories/imports.repository';
import { findRasterLayer } from '../db/repositories/raster_layers.repository';
import { importFeatureFile } from '../import/feature_importer';
import type { GeometryPool } from '../geometry/geometry_pool';
import { registerRasterLayer } from '../services/raster_layers.service';
import { fieldMapSchema } from '../sources/catalogue_schema';
import { mapFeature } from '../sources/field_mapping';
import { projectPath } from '../util/project_root';
import { ensureContextLayer } from './context_points';

const localized = z.object({ en: z.string().min(1), es: z.string().min(1) });
const manifestSchema = z
  .object({
    version: z.literal(1),
    layers: z.array(
      z
        .object({
          file: z.string().regex(/^[\w.-]+\.geojson$/),
          kind: z.string().regex(/^[a-z][a-z0-9_]{1,62}$/),
          kindLabel: localized.optional(),
          /** `__index` as the id: the feature's position (for files without an id field). */
          fields: fieldMapSchema,
          /** A name made of fields, e.g. "HydroBASINS {HYBAS_ID}", where the file has no name field. */
          nameTemplate: z.string().min(1).optional(),
          licence: z.string().min(1),
          source: z.string().min(1),
        })
        .strict(),
    ),
    /** Point layers of context (other cooperation projects): on the map, never the programme's. */
    points: z.array(
      z
        .object({
          file: z.string().regex(/^[\w.-]+\.geojson$/),
          code: z.string().regex(/^[a-z][a-z0-9_]{1,62}$/),
          label: localized,
          fields: z.object({ id: z.string(), name: z.string(), keep: z.array(z.string()).optional() }).strict(),
          licence: z.string().min(1),
          source: z.string().min(1),
        })
        .strict(),
    ),
    rasters: z.array(z.object({ file: z.string().regex(/^[\w.-]+\.tif$/), name: z.string().regex(/^[a-z0-9_]+$/), version: z.string(), licence: z.string(), source: z.string() }).strict()),
  })
  .strict();
type StarterLayer = z.infer<typeof manifestSchema>['layers'][number];

export const STARTER_DIR = projectPath('data', 'starter');

export function loadStarterManifest(dir = STARTER_DIR) {
  return manifestSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, 'starter.json'), 'utf8')));
}

/** The file as Atalaya imports it: ids, names and mapped fields in place (deterministic, so its hash says "loaded before"). */
function prepared(layer: StarterLayer, dir: string): string {
  const collection = JSON.parse(fs.readFileSync(path.join(dir, layer.file), 'utf8')) as FeatureCollection;
  const features = collection.features.map((f, index): Feature => {
    const properties: Record<string, unknown> = { ...f.properties, __index: index };
    if (layer.nameTemplate) properties.__name = layer.nameTemplate.replace(/\{(\w+)\}/g, (_, k: string) => String(properties[k] ?? '').replace(/\.0+$/, ''));
    const fields = layer.nameTemplate ? { ...layer.fields, name: '__name' } : layer.fields;
    return mapFeature({ ...f, properties }, fields, layer.kind);
  });
  return JSON.stringify({ type: 'FeatureCollection', features });
}

/**
 * Whether this database has starter layers (a database that started before they existed keeps its
 * synthetic kinds and is not given real ones on top: `npm run starter:load` adds them on request).
 */
export async function starterLoadedBefore(db: Kysely<Database>): Promise<boolean> {
  return anyImportOf(db, loadStarterManifest().layers.map((l) => l.file));
}

/** Loads every starter layer not loaded yet; returns how many it loaded. */
export async function ensureStarterLayers(db: Kysely<Database>, dataDir: string, log: Logger, options: { dir?: string; geometryPool?: GeometryPool } = {}): Promise<number> {
  const dir = options.dir ?? STARTER_DIR;
  const manifest = loadStarterManifest(dir);
  const work = path.join(dataDir, 'starter');
  fs.mkdirSync(work, { recursive: true });
  let loaded = 0;
  for (const layer of manifest.layers) {
    const text = prepared(layer, dir);
    if (await importedBefore(db, createHash('sha256').update(text).digest('hex'))) continue;
    const file = path.join(work, layer.file);
    fs.writeFileSync(file, text);
    const started = Date.now();
    const report = await importFeatureFile(db, file, { type: 'areas', kind: layer.kind, ...(layer.kindLabel ? { createKind: layer.kindLabel } : {}) }, {
      idField: layer.fields.id,
      nameField: layer.nameTemplate ? '__name' : layer.fields.name,
      licence: layer.licence,
      source: layer.source,
      fileName: layer.file,
      ...(options.geometryPool ? { geometryPool: options.geometryPool } : {}),
    });
    log.info({ file: layer.file, kind: layer.kind, features: report.features, ms: Date.now() - started }, 'starter layer loaded');
    loaded++;
  }
  for (const p of manifest.points) {
    if (!(await ensureContextLayer(db, dir, p))) continue;
    log.info({ file: p.file, layer: p.code }, 'starter context layer loaded');
    loaded++;
  }
  for (const r of manifest.rasters) {
    if (await findRasterLayer(db, r.name)) continue;
    await registerRasterLayer(db, { files: [path.join(dir, r.file)], kind: 'lossyear', name: r.name, version: r.version, dataDir, about: { source: r.source, licence: r.licence, methodNote: 'none' } });
    log.info({ file: r.file, layer: r.name }, 'starter raster loaded');
    loaded++;
  }
  return loaded;
}
