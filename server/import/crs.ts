// Identifies the EPSG code of a coordinate system given as WKT (.prj files are ESRI WKT1, GDAL writes
// OGC WKT with AUTHORITY). PROJ would do this (proj_identify) but is not reachable from Node without a
// native addon; PostGIS's spatial_ref_sys has every EPSG definition, so we match names against it.
import type { Kysely } from 'kysely';
import { epsgNames, sridExists } from '../db/repositories/spatial_ref_sys.repository';
import type { Database } from '../db/schema';

/** Normalises ESRI and OGC spellings of the same CRS name to one key. */
export function normaliseCrsName(name: string): string {
  let n = name.toLowerCase().replace(/^gcs_/, '').replace(/[^a-z0-9]/g, '');
  const aliases: [RegExp, string][] = [
    [/provisionalsamerican1956|provisionalsouthamerican1956/g, 'psad56'],
    [/southamerican1969/g, 'sad69'],
    [/wgs1984/g, 'wgs84'],
    [/psad1956/g, 'psad56'],
    [/sad1969/g, 'sad69'],
    [/sirgas2000/g, 'sirgas2000'],
    [/nad1983/g, 'nad83'],
    [/nad1927/g, 'nad27'],
    [/etrs1989/g, 'etrs89'],
  ];
  for (const [re, to] of aliases) n = n.replace(re, to);
  return n;
}

/** The CRS name of a WKT: PROJCS/PROJCRS name if projected, else GEOGCS/GEOGCRS. */
export function crsNameOfWkt(wkt: string): string | undefined {
  const m = wkt.trim().match(/^(PROJCS|PROJCRS|GEOGCS|GEOGCRS|GEODCRS)\s*\[\s*"([^"]+)"/i);
  return m?.[2];
}

/** The top-level AUTHORITY["EPSG", "n"] (OGC WKT1) or ID["EPSG", n] (WKT2) of a WKT, if present. */
export function epsgAuthorityOfWkt(wkt: string): number | undefined {
  const all = [...wkt.matchAll(/(?:AUTHORITY|ID)\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]/gi)];
  const last = all.at(-1); // the CRS's own authority closes the WKT; inner ones belong to its parts
  return last ? Number(last[1]) : undefined;
}

/** EPSG code for a WKT, or undefined when neither an authority nor a known name identifies it. */
export async function identifyCrs(db: Kysely<Database>, wkt: string): Promise<number | undefined> {
  const authority = epsgAuthorityOfWkt(wkt);
  if (authority !== undefined) return authority;
  const name = crsNameOfWkt(wkt);
  if (!name) return undefined;
  const key = normaliseCrsName(name);
  if (key === 'wgs84') return 4326;
  const matches = (await epsgNames(db)).filter((r) => r.name && normaliseCrsName(r.name) === key).map((r) => r.srid);
  return matches.length === 1 ? matches[0] : matches.sort((a, b) => a - b)[0];
}

/** Whether PostGIS knows the code (so ST_Transform can use it). */
export async function isKnownSrid(db: Kysely<Database>, srid: number): Promise<boolean> {
  return sridExists(db, srid);
}

/** EPSG code from a GeoJSON `crs` name such as urn:ogc:def:crs:EPSG::32719, EPSG:4326 or OGC CRS84. */
export function sridOfGeoJsonCrsName(name: string): number | undefined {
  if (/crs84$/i.test(name) || /OGC:(1\.3:)?CRS84/i.test(name)) return 4326;
  const m = name.match(/EPSG:{1,2}(?:[\d.]*:)?(\d+)$/i);
  return m ? Number(m[1]) : undefined;
}
