// The planar projection PostGIS buffers a geography in (_ST_BestSRID, geography_bestsrid in
// PostGIS's geography_measurement.c, and its PROJ strings in lwgeom_transform.c): a UTM zone when
// the geometry fits in 6 degrees of longitude, else a Lambert azimuthal equal-area zone, else
// World Mercator; polar caps get polar LAEA. Rewritten here so a buffer made in the geometry
// worker lands on the same metres as the one PostGIS makes for stored sites.

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** A PROJ definition for proj4js. */
export function bestProjection(b: Bounds): string {
  const cx = (b.minX + b.maxX) / 2;
  const cy = (b.minY + b.maxY) / 2;
  const xwidth = b.maxX - b.minX;
  const ywidth = b.maxY - b.minY;
  if (b.minY >= 70 && ywidth < 45) return '+proj=laea +lat_0=90 +lon_0=-40 +x_0=0 +y_0=0 +ellps=WGS84 +datum=WGS84 +units=m +no_defs';
  if (b.maxY <= -70 && ywidth < 45) return '+proj=laea +lat_0=-90 +lon_0=0 +x_0=0 +y_0=0 +ellps=WGS84 +datum=WGS84 +units=m +no_defs';
  if (xwidth < 6) {
    const zone = Math.min(59, Math.floor((cx + 180) / 6)) + 1;
    return `+proj=utm +zone=${zone}${cy < 0 ? ' +south' : ''} +ellps=WGS84 +datum=WGS84 +units=m +no_defs`;
  }
  if (ywidth < 25) {
    const yzone = 3 + Math.floor(cy / 30);
    let lon0: number | undefined;
    if ((yzone === 2 || yzone === 3) && xwidth < 30) lon0 = 30 * (6 + Math.floor(cx / 30) - 6) + 15;
    else if ((yzone === 1 || yzone === 4) && xwidth < 45) lon0 = 45 * (4 + Math.floor(cx / 45) - 4) + 22.5;
    else if ((yzone === 0 || yzone === 5) && xwidth < 90) lon0 = 90 * (2 + Math.floor(cx / 90) - 2) + 45;
    if (lon0 !== undefined) return `+proj=laea +ellps=WGS84 +datum=WGS84 +lat_0=${30 * (yzone - 3) + 15} +lon_0=${lon0} +units=m +no_defs`;
  }
  return '+proj=merc +lon_0=0 +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +datum=WGS84 +units=m +no_defs';
}
