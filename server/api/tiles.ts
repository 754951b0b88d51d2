import { z } from 'zod';

/** z/x/y of a web-mercator tile up to `maxZoom` (x and y within 0..2^z-1 are checked by withinZoom). */
const coordinates = (maxZoom: number) => ({
  z: z.coerce.number().int('z is a whole number').min(0, `z is 0..${maxZoom}`).max(maxZoom, `z is 0..${maxZoom}`),
  x: z.coerce.number().int('x is a whole number').min(0, 'x is 0 or more'),
  y: z.coerce.number().int('y is a whole number').min(0, 'y is 0 or more'),
});

function withinZoom(t: { z: number; x: number; y: number }, ctx: z.RefinementCtx): void {
  const n = 2 ** t.z;
  if (t.x >= n) ctx.addIssue({ code: 'custom', path: ['x'], message: `x is 0..${n - 1} at zoom ${t.z}` });
  if (t.y >= n) ctx.addIssue({ code: 'custom', path: ['y'], message: `y is 0..${n - 1} at zoom ${t.z}` });
}

const vectorLayer = z.string().regex(/^[a-z][a-z0-9_]*$/, 'layer is an area kind, sites or activities');

/** Path of a vector tile: /tiles/{layer}/{z}/{x}/{y}.mvt. */
export const vectorTileParamsSchema = z.object({ layer: vectorLayer, ...coordinates(22) }).superRefine(withinZoom);

/** Path of a layer's TileJSON: /tiles/{layer}.json. */
export const vectorTileLayerSchema = z.object({ layer: vectorLayer });

/** Path of a raster tile: /tiles/rasters/{layer}/{z}/{x}/{y}.png. */
export const rasterTileParamsSchema = z.object({ layer: z.string().min(1), ...coordinates(24) }).superRefine(withinZoom);
