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

const RAD = Math.PI / 180;

/**
 * PostGIS's centre of a geography (gbox_centroid): from its bounding box on the unit sphere
 * (x, y, z), the mean of the box's corners, back in degrees. It is not the middle of the lon/lat box, and the UTM zone of a
 * shape that straddles a zone boundary depends on the difference. Vertices only: PostGIS also
 * counts the bulge of long edges, which moves the centre of shapes like sites by far less than a
 * metre.
 */
export function sphereCentre(positions: Iterable<number[]>): { lon: number; lat: number } {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (const p of positions) {
    const lon = p[0]! * RAD;
    const lat = p[1]! * RAD;
    const v = [Math.cos(lat) * Math.cos(lon), Math.cos(lat) * Math.sin(lon), Math.sin(lat)];
    for (let i = 0; i < 3; i++) {
      min[i] = Math.min(min[i]!, v[i]!);
      max[i] = Math.max(max[i]!, v[i]!);
    }
  }
  // gbox_centroid: the mean of the box's eight corners, each first pushed onto the sphere.
  let x = 0;
  let y = 0;
  let z = 0;
  for (let i = 0; i < 8; i++) {
    const c = [i < 4 ? min[0]! : max[0]!, (i % 4) < 2 ? min[1]! : max[1]!, i % 2 === 0 ? min[2]! : max[2]!];
    const n = Math.hypot(c[0]!, c[1]!, c[2]!);
    x += c[0]! / n;
    y += c[1]! / n;
    z += c[2]! / n;
  }
  return { lon: Math.atan2(y, x) / RAD, lat: Math.atan2(z, Math.hypot(x, y)) / RAD };
}

/** A PROJ definition for proj4js (x_0/y_0 always given: proj4js's laea needs them). */
export function bestProjection(b: Bounds, centre: { lon: number; lat: number }): string {
  const cx = centre.lon;
  const cy = centre.lat;
  const xwidth = b.maxX - b.minX;
  const ywidth = b.maxY - b.minY;
  if (b.minY >= 70 && ywidth < 45) return '+proj=laea +lat_0=90 +lon_0=-40 +x_0=0 +y_0=0 +ellps=WGS84 +datum=WGS84 +units=m +no_defs';
  if (b.maxY <= -70 && ywidth < 45) return '+proj=laea +lat_0=-90 +lon_0=0 +x_0=0 +y_0=0 +ellps=WGS84 +datum=WGS84 +units=m +no_defs';
  if (xwidth < 6) {
    const zone = Math.min(59, Math.floor((cx + 180) / 6)) + 1;
    return `+proj=utm +zone=${zone}${cy < 0 ? ' +south' : ''} +x_0=500000 +y_0=${cy < 0 ? 10000000 : 0} +k=0.9996 +ellps=WGS84 +datum=WGS84 +units=m +no_defs`;
  }
  if (ywidth < 25) {
    const yzone = 3 + Math.floor(cy / 30);
    let lon0: number | undefined;
    if ((yzone === 2 || yzone === 3) && xwidth < 30) lon0 = 30 * (6 + Math.floor(cx / 30) - 6) + 15;
    else if ((yzone === 1 || yzone === 4) && xwidth < 45) lon0 = 45 * (4 + Math.floor(cx / 45) - 4) + 22.5;
    else if ((yzone === 0 || yzone === 5) && xwidth < 90) lon0 = 90 * (2 + Math.floor(cx / 90) - 2) + 45;
    if (lon0 !== undefined) return `+proj=laea +lat_0=${30 * (yzone - 3) + 15} +lon_0=${lon0} +x_0=0 +y_0=0 +ellps=WGS84 +datum=WGS84 +units=m +no_defs`;
  }
  return '+proj=merc +lon_0=0 +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +datum=WGS84 +units=m +no_defs';
}
