// Draw a polygon, a line or a point on the map (terra-draw), or show an uploaded shape, to analyse the
// forest loss there. Loaded on first use, so terra-draw is not part of the first page load.
import { TerraDraw, TerraDrawLineStringMode, TerraDrawPointMode, TerraDrawPolygonMode } from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import type * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource } from 'maplibre-gl';
import type { DrawMode } from './upload_shape';

const UPLOAD_SOURCE = 'uploaded-shape';

export class DrawTool {
  private readonly draw: TerraDraw;
  private active = false;
  /** Set for one shape drawn for another purpose (a site being edited) instead of analysis. */
  private nextShape: ((geometry: GeoJSON.Geometry) => void) | undefined;

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
      const once = this.nextShape;
      this.nextShape = undefined;
      if (feature && once) once(feature.geometry as GeoJSON.Geometry);
      else if (feature) this.onShape(feature.geometry as GeoJSON.Geometry, 'drawn');
    });
  }

  /** True while the user is drawing: map clicks then belong to the drawing, not to selection. */
  get drawing(): boolean {
    return this.active;
  }

  start(mode: DrawMode, onShape?: (geometry: GeoJSON.Geometry) => void): void {
    this.clear();
    this.nextShape = onShape;
    if (!this.draw.enabled) this.draw.start();
    this.draw.setMode(mode);
    this.active = true;
  }

  stop(): void {
    // The click that finished the shape is still on its way to the map's click handler: stay
    // "drawing" until it has passed, so it does not also select what lies under it.
    setTimeout(() => (this.active = false), 0);
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
