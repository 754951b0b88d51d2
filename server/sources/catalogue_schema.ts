// The catalogue of real data sources (data/sources.json): where each official layer lives, how to
// page through it, what it becomes in Atalaya, and under which licence. Validated on every read, so a
// typo in the file is a message at start, not a half-done fetch.
import { z } from 'zod';

const id = z.string().regex(/^[a-z][a-z0-9_-]{1,62}$/, 'ids are lower-case letters, digits, _ and -');
const localized = z.object({ en: z.string().min(1), es: z.string().min(1) });

/** Which source field holds each thing Atalaya keeps; `id` and `name` are required of every feature. */
export const fieldMapSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    category: z.string().min(1).optional(),
    holder: z.string().min(1).optional(),
    start: z.string().min(1).optional(),
    end: z.string().min(1).optional(),
    /** Further fields kept as attributes (all of them when absent). */
    keep: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type FieldMap = z.infer<typeof fieldMapSchema>;

const target = z.discriminatedUnion('type', [
  z.object({ type: z.literal('areas'), kind: id, kindLabel: localized.optional() }).strict(),
  z.object({ type: z.literal('raster'), kind: z.enum(['lossyear', 'treecover', 'datamask']), name: id, treecover: id.optional(), methodNote: z.enum(['hansen', 'none']).default('hansen') }).strict(),
  z.object({ type: z.literal('alerts'), alertSource: z.enum(['gfw-integrated', 'glad-l', 'radd', 'geobosques']) }).strict(),
]);


const common = {
  id,
  title: localized,
  target,
  fields: fieldMapSchema.optional(),
  licence: z.string().min(1),
  attribution: z.string().min(1),
  homepage: z.string().url().optional(),
  /**
   * The environment variable that overrides the URL (or URL template): every endpoint whose exact
   * address or layer id could not be confirmed has one, and says why in `uncertain`.
   */
  setting: z.string().regex(/^ATALAYA_SOURCE_[A-Z0-9_]+$/).optional(),
  uncertain: z.string().min(1).optional(),
  /** An API key some services ask for, read from this environment variable and sent as a header. */
  apiKey: z.object({ env: z.string().regex(/^[A-Z][A-Z0-9_]+$/), header: z.string().min(1) }).strict().optional(),
};

/** An ArcGIS REST feature or map service layer, e.g. https://host/arcgis/rest/services/X/MapServer/0. */
const arcgis = z.object({ ...common, protocol: z.literal('arcgis-rest'), url: z.string().url(), where: z.string().default('1=1'), pageSize: z.number().int().min(1).max(10_000).optional() }).strict();

/** An OGC WFS 2.0 feature type, paged with startIndex/count. */
const wfs = z
  .object({
    ...common,
    protocol: z.literal('wfs'),
    url: z.string().url(),
    typeName: z.string().min(1),
    outputFormat: z.string().default('application/json'),
    /** CRS84 keeps longitude first; "EPSG:4326" in WFS 2.0 means latitude first. */
    srsName: z.string().default('urn:ogc:def:crs:OGC:1.3:CRS84'),
    pageSize: z.number().int().min(1).max(50_000).default(1000),
  })
  .strict();

/** One file over HTTP(S): GeoJSON, a zipped shapefile, a GeoPackage or a GeoTIFF. */
const httpFile = z.object({ ...common, protocol: z.literal('http-file'), url: z.string().url(), format: z.enum(['geojson', 'zip', 'gpkg', 'geotiff']) }).strict();

/**
 * A global grid of 10 x 10 degree GeoTIFF tiles named by their upper-left corner (Hansen Global
 * Forest Change, GLAD, GFW): the tiles are chosen from a bbox or a region.
 */
const tiles = z
  .object({
    ...common,
    protocol: z.literal('tiles-10deg'),
    /** With {version}, {layer} and {tile} (e.g. 10S_070W). */
    urlTemplate: z.string().min(1).refine((t) => t.includes('{tile}'), 'urlTemplate needs {tile}'),
    layer: z.string().min(1),
    version: z.string().min(1),
  })
  .strict();

export const sourceSchema = z.discriminatedUnion('protocol', [arcgis, wfs, httpFile, tiles]);
export type Source = z.infer<typeof sourceSchema>;

export const catalogueSchema = z
  .object({ version: z.literal(1), sources: z.array(sourceSchema).min(1) })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    for (const [i, s] of c.sources.entries()) {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['sources', i, 'id'], message: `duplicate source id ${s.id}` });
      seen.add(s.id);
      if (s.target.type === 'areas' && !s.fields) ctx.addIssue({ code: 'custom', path: ['sources', i, 'fields'], message: `${s.id}: an area source needs its field mapping (id, name)` });
    }
  });
export type Catalogue = z.infer<typeof catalogueSchema>;
