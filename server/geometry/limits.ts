// How much geometry one request may hand to GEOS, by who sends it. Repair and buffering cost grows
// faster than the vertex count (a 10,000-vertex star buffered by 5 km grew a PostGIS backend past
// 7 GB in 40 s until the kernel killed it), so the bound comes first and the time limit of the
// geometry worker second. Documented in the README ("Staying up").
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import type { GeometrySize } from './measure';

/** Longest the repair and buffering of one geometry may take (ATALAYA_GEOMETRY_TIME_LIMIT_MS's default). */
export const DEFAULT_GEOMETRY_TIME_LIMIT_MS = 10_000;

export interface GeometryLimits {
  vertices: number;
  parts: number;
}

/** Per role: the public draws or uploads an area to analyse; editors draw and upload sites; admins import official layers. */
export const GEOMETRY_LIMITS = {
  public: { vertices: 20_000, parts: 1_000 },
  editor: { vertices: 100_000, parts: 5_000 },
  admin: { vertices: 250_000, parts: 20_000 },
} as const satisfies Record<string, GeometryLimits>;

export function limitsFor(actor: Actor): GeometryLimits {
  if (actor.kind !== 'user') return GEOMETRY_LIMITS.public;
  return actor.role === 'admin' ? GEOMETRY_LIMITS.admin : GEOMETRY_LIMITS.editor;
}

/** 413 when a geometry is beyond the caller's limits, saying by how much and what to do. */
export function checkLimits(size: GeometrySize, limits: GeometryLimits, what = 'The geometry'): void {
  const over =
    size.vertices > limits.vertices ? `${size.vertices.toLocaleString('en')} vertices (the limit is ${limits.vertices.toLocaleString('en')})`
    : size.parts > limits.parts ? `${size.parts.toLocaleString('en')} parts (the limit is ${limits.parts.toLocaleString('en')})`
    : undefined;
  if (over) {
    throw new AppError('payload_too_large', `${what} has ${over}. Simplify it (e.g. QGIS "Simplify" or mapshaper -simplify to a few metres' tolerance) or split it, and send it again.`);
  }
}

/**
 * The distance of the ring around each concession that the statistics compare it with (5 km). The
 * statistics batches buffer stored areas in PostGIS, whose GEOS buffer cannot be interrupted; so an
 * imported area large enough for the worker's repair, and repaired there, is also buffered at this
 * distance on the worker first, under its time limit, and refused if that does not finish (the
 * buffer of a repaired spiky polygon is what ran PostgreSQL out of memory).
 */
export const CONCESSION_RING_M = 5000;
