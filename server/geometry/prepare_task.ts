// What the geometry pool asks its worker, and what it answers (shared by both sides).

export interface PrepareTask {
  /** A GeoJSON geometry already checked by measureGeometry (structure, lon/lat, size); or null with wkbHex. */
  geometry: unknown;
  /** The geometry as hex WKB instead (an imported feature, in its own CRS). */
  wkbHex?: string;
  /** Answer the repaired geometry as hex WKB (wkbHex of the answer), for PostGIS to read. */
  answerWkb?: boolean;
  /** Grow by this many metres on the ellipsoid (as ST_Buffer(geography, m, 'quad_segs=16')); 0 = no buffer. */
  bufferM: number;
  /** Keep only the polygonal parts of the result (ST_CollectionExtract(g, 3)). */
  polygonsOnly: boolean;
  /** An invalid input is answered as it is (valid: false, with the reason), neither repaired nor buffered. */
  requireValid?: boolean;
}

export interface PreparedGeometry {
  /** The input's type as PostGIS's GeometryType() names it: POLYGON, MULTIPOINT, ... */
  type: string;
  valid: boolean;
  /** GEOS's reason when not valid ("Ring Self-intersection[-69.85 -12.74]"). */
  reason: string | null;
  /** The repaired (and buffered) geometry; null when nothing polygonal is left, or refused by requireValid. */
  geometry: { type: string; coordinates?: unknown; geometries?: unknown[] } | null;
  /** With answerWkb: the repaired geometry as hex WKB (null when it was valid: nothing to change). */
  wkbHex?: string | null;
}
