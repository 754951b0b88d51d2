// Draw a polygon, a line or a point on the map (terra-draw), or upload a GeoJSON file, to analyse the
// forest loss there. Uploads are read in the browser: nothing is stored on the server.
import { TerraDraw, TerraDrawLineStringMode, TerraDrawPointMode, TerraDrawPolygonMode } from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import type * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource } from 'maplibre-gl';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
export type DrawMode = 'polygon' | 'linestring' | 'point';

export class UploadError extends Error {}

/**
 * One geometry to analyse from an uploaded GeoJSON text: polygons win over lines over points, and
 * several of the winning type merge into one Multi geometry. Errors say what to fix.
 */
export function geometryFromUpload(text: string): GeoJSON.Geometry {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UploadError('not_json');
  }
  const geometries: GeoJSON.Geometry[] = [];
  const collect = (g: unknown): void => {
    if (!g || typeof g !== 'object') return;
    const o = g as { type?: string; features?: unknown[]; geometry?: unknown; geometries?: unknown[]; coordinates?: unknown };
    if (o.type === 'FeatureCollection' && Array.isArray(o.features)) o.features.forEach(collect);
    else if (o.type === 'Feature') collect(o.geometry);
    else if (o.type === 'GeometryCollection' && Array.isArray(o.geometries)) o.geometries.forEach(collect);
    else if (typeof o.type === 'string' && Array.isArray(o.coordinates)) geometries.push(o as GeoJSON.Geometry);
  };
  collect(json);
  if (geometries.length === 0) throw new UploadError('no_geometry');
  const positions: number[][] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') positions.push(c as number[]);
    else if (Array.isArray(c)) c.forEach(walk);
  };
  geometries.forEach((g) => walk('coordinates' in g ? g.coordinates : []));
  if (positions.some((p) => !(Math.abs(p[0]!) <= 180 && Math.abs(p[1]!) <= 90))) throw new UploadError('not_lonlat');
  const of = (types: string[]) => geometries.filter((g) => types.includes(g.type));
  const polygons = of(['Polygon', 'MultiPolygon']);
  if (polygons.length) return { type: 'MultiPolygon', coordinates: polygons.flatMap((g) => (g.type === 'Polygon' ? [g.coordinates] : (g as GeoJSON.MultiPolygon).coordinates)) };
  const lines = of(['LineString', 'MultiLineString']);
  if (lines.length) return { type: 'MultiLineString', coordinates: lines.flatMap((g) => (g.type === 'LineString' ? [g.coordinates] : (g as GeoJSON.MultiLineString).coordinates)) };
  const points = of(['Point', 'MultiPoint']);
  return { type: 'MultiPoint', coordinates: points.flatMap((g) => (g.type === 'Point' ? [g.coordinates] : (g as GeoJSON.MultiPoint).coordinates)) };
}

const UPLOAD_SOURCE = 'uploaded-shape';

export class DrawTool {
  private readonly draw: TerraDraw;
  private active = false;

  constructor(
    private readonly map: maplibregl.Map,
    private readonly onShape: (geometry: GeoJSON.Geometry, origin: 'drawn' | 'uploaded') => void,
  ) {
    this.draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map }),
      modes: [new TerraDrawPolygonMode(), new TerraDrawLineStringMode(), new TerraDrawPointMode()],
    });
    this.draw.on('finish', (id) => {
      const feature = this.draw.getSnapshotFeature(id);
      this.stop();
      if (feature) this.onShape(feature.geometry as GeoJSON.Geometry, 'drawn');
    });
  }

  /** True while the user is drawing: map clicks then belong to the drawing, not to selection. */
  get drawing(): boolean {
    return this.active;
  }

  start(mode: DrawMode): void {
    this.clear();
    if (!this.draw.enabled) this.draw.start();
    this.draw.setMode(mode);
    this.active = true;
  }

  stop(): void {
    this.active = false;
    // Keep the finished shape on the map, but stop taking clicks.
    this.draw.setMode('static');
  }

  clear(): void {
    if (this.draw.enabled) this.draw.clear();
    this.map.getSource<GeoJSONSource>(UPLOAD_SOURCE)?.setData({ type: 'FeatureCollection', features: [] });
    this.active = false;
  }

  /** Shows an uploaded geometry and analyses it. */
  showUpload(geometry: GeoJSON.Geometry): void {
    this.clear();
    const data: GeoJSON.Feature = { type: 'Feature', properties: {}, geometry };
    const source = this.map.getSource<GeoJSONSource>(UPLOAD_SOURCE);
    if (source) source.setData(data);
    else {
      this.map.addSource(UPLOAD_SOURCE, { type: 'geojson', data });
      this.map.addLayer({ id: 'uploaded-fill', type: 'fill', source: UPLOAD_SOURCE, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#ff6f00', 'fill-opacity': 0.15 } });
      this.map.addLayer({ id: 'uploaded-line', type: 'line', source: UPLOAD_SOURCE, paint: { 'line-color': '#ff6f00', 'line-width': 2.5 } });
      this.map.addLayer({ id: 'uploaded-point', type: 'circle', source: UPLOAD_SOURCE, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-color': '#ff6f00', 'circle-radius': 6 } });
    }
    this.onShape(geometry, 'uploaded');
  }
}
