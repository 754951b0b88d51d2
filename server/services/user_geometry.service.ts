// User geometry on its way in (analysis, drawn and uploaded areas, sites): its structure and size
// checked in plain JavaScript against the caller's limits, then repaired, buffered or validated on
// the geometry pool under its time limit. Nothing a user sends reaches PostGIS's GEOS before this.
import { type GeometryPool } from '../geometry/geometry_pool';
import { checkLimits, type GeometryLimits } from '../geometry/limits';
import { measureGeometry } from '../geometry/measure';
import type { PreparedGeometry } from '../geometry/prepare_task';
import { BadRequestError } from '../errors';

/** Repaired (ST_MakeValid) and, with bufferM, grown on the ellipsoid: the polygon to analyse. */
export async function prepareForAnalysis(pool: GeometryPool, geometry: unknown, limits: GeometryLimits, bufferM: number): Promise<PreparedGeometry> {
  checkLimits(measureGeometry(geometry), limits);
  return pool.run({ geometry, bufferM, polygonsOnly: true });
}

/**
 * A site's geometry must be valid as drawn (the editor fixes it, with GEOS's reason), and its
 * buffer at the statistics distance must be computable in time: PostGIS computes that buffer for
 * every statistics batch, where nothing could stop it. One task does both.
 */
export async function checkSiteGeometry(pool: GeometryPool, geometry: unknown, limits: GeometryLimits, statisticsBufferM: number): Promise<void> {
  checkLimits(measureGeometry(geometry), limits, 'The site');
  const r = await pool.run({ geometry, bufferM: statisticsBufferM, polygonsOnly: statisticsBufferM > 0, requireValid: true });
  if (!r.valid) throw new BadRequestError(`The geometry is not valid (${r.reason}): fix self-intersections or unclosed rings and send it again.`);
}
