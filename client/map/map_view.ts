// The one module that owns the maplibregl.Map: everything else changes the map through it.
import './maplibre_worker';
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, MapLayerMouseEvent, MapMouseEvent, StyleSpecification } from 'maplibre-gl';
import type { SiteCollection } from '@atalaya/api';
import {
  LOSS_LAYER,
  LOSS_SOURCE,
  SITES_SOURCE,
  SITE_CLUSTER_MAX_ZOOM,
  SITE_CLUSTER_RADIUS,
  SITE_POINTS_SOURCE,
  TREECOVER_LAYER,
  TREECOVER_SOURCE,
  areaFillLayerId,
  areaKindOrder,
  areaLayers,
  areaLineLayerId,
  areaSourceId,
  areaStyle,
  areaTileUrl,
  lossTileUrl,
  siteLayerIds,
  siteLayers,
  splitSites,
  treecoverTileUrl,
} from '../layers/area_layers';
import { bboxOf } from '../layers/geometry_bounds';
import { ALERTS_LAYER, ALERTS_SOURCE, VECTOR_ALERT_COLOR } from '../layers/alert_layers';
import { CONTEXT_COLOR, contextGroup, contextLayerId, isContextGroup } from '../layers/context_layers';
import type { DrawTool } from './draw_tool';
import { FileSource, PMTiles } from 'pmtiles';
import { packageLayerPrefix, packageLayers, packageSourceId } from '../layers/package_layers';
import { pmtilesProtocol } from './pmtiles_protocol';

export type FeatureClickHandler = (
  /** `contextCode`: the context layer of a clicked context point. */
  target: { layer: 'area' | 'site' | 'context'; id: number | undefined; properties: Record<string, unknown>; contextCode?: string },
  lngLat: maplibregl.LngLat,
) => void;

/** Peru's extent with a margin, lon/lat. */
export const PERU_BOUNDS: [[number, number], [number, number]] = [[-82.5, -18.8], [-68.0, 0.2]];
const selectedLayerId = (kind: string) => `areas-${kind}-selected`;
const TREND_ZONES_SOURCE = 'trend-zones';

/** Starts MapLibre's worker threads before the map exists (they load and start in parallel with the API calls). */
export function prewarmMap(): void {
  maplibregl.prewarm();
}

/** Where the map looks: what the URL carries. */
export interface MapPosition {
  lng: number;
  lat: number;
  zoom: number;
}

/** MapLibre's control labels and tooltips, in the reader's language. */
export interface ControlLabels {
  zoomIn: string;
  zoomOut: string;
  map: string;
  toggleAttribution: string;
}

export class MapView {
  private readonly map: maplibregl.Map;
  private draw: DrawTool | undefined;
  private attribution: maplibregl.AttributionControl | undefined;
  private basemapSources: string[] = [];
  private readonly visibility = new Map<string, boolean>();
  private readonly opacity = new Map<string, number>();
  private readonly ready: Promise<void>;
  private sites: SiteCollection | undefined;
  private activityFilter: Set<number> | undefined;

  constructor(container: HTMLElement, style: StyleSpecification, view: { center: [number, number]; zoom: number } | undefined, attribution: string, labels: ControlLabels) {
    this.map = new maplibregl.Map({
      container,
      style,
      // MapLibre's own strings in the reader's language from the start (setControlLabels keeps them so).
      locale: { 'NavigationControl.ZoomIn': labels.zoomIn, 'NavigationControl.ZoomOut': labels.zoomOut, 'Map.Title': labels.map, 'AttributionControl.ToggleAttribution': labels.toggleAttribution },
      ...(view ? { center: view.center, zoom: view.zoom } : { bounds: PERU_BOUNDS }),
      attributionControl: false,
      // Keyboard panning and zooming when the map has focus (arrows, +/-), as the accessibility brief asks.
      keyboard: true,
    });
    this.map.getCanvas().setAttribute('aria-label', labels.map);
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
    this.setAttribution(attribution);
    // 'style.load', not 'load': layers go in as soon as the style is parsed, so their tiles load
    // alongside the basemap's instead of after its first complete render.
    this.ready = new Promise((resolve) =>
      this.map.once('style.load', () => {
        this.basemapSources = Object.keys(this.map.getStyle().sources);
        resolve();
      }),
    );
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  /** The attribution line (sources and licences), in the reader's language. */
  setAttribution(text: string): void {
    if (this.attribution) this.map.removeControl(this.attribution);
    // Many real layers make a long line: past a map's width it folds behind MapLibre's (i) button.
    const narrow = this.map.getContainer().clientWidth < 600;
    this.attribution = new maplibregl.AttributionControl({ compact: narrow || text.length > 160, customAttribution: text });
    this.map.addControl(this.attribution);
    // On a phone the open line would cover a fifth of the map: it starts folded behind its (i) button.
    if (narrow) this.map.getContainer().querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show');
  }

  /** MapLibre's own control labels (zoom buttons) in the reader's language. */
  setControlLabels(labels: ControlLabels): void {
    const container = this.map.getContainer();
    for (const [selector, label] of [['.maplibregl-ctrl-zoom-in', labels.zoomIn], ['.maplibregl-ctrl-zoom-out', labels.zoomOut], ['.maplibregl-ctrl-attrib-button', labels.toggleAttribution]] as const) {
      const button = container.querySelector<HTMLElement>(selector);
      button?.setAttribute('title', label);
      button?.setAttribute('aria-label', label);
    }
    this.map.getCanvas().setAttribute('aria-label', labels.map);
  }

  // ------------------------------------------------------------ where the map looks
  jumpTo(p: MapPosition): void {
    this.map.jumpTo({ center: [p.lng, p.lat], zoom: p.zoom });
  }

  /** Centres on a point, zooming in to at least `minZoom` (never out). */
  centreOn(at: [number, number], minZoom: number): void {
    this.map.jumpTo({ center: at, zoom: Math.max(this.map.getZoom(), minZoom) });
  }

  /** Fits a lon/lat box at once (no animation), zooming in no further than `maxZoom`. */
  fitBounds(b: readonly [number, number, number, number], maxZoom = 11): void {
    this.map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 80, maxZoom, duration: 0 });
  }

  /** After the container changed size (a drawer opened, the layer list folded). */
  resize(): void {
    this.map.resize();
  }

  /** `listener` after every pan or zoom, with the new position. */
  onMoveEnd(listener: (p: MapPosition) => void): void {
    this.map.on('moveend', () => {
      const c = this.map.getCenter();
      listener({ lng: c.lng, lat: c.lat, zoom: this.map.getZoom() });
    });
  }

  /** `listener` each time the map has drawn everything it was asked to, with how many features it drew. */
  onIdle(listener: (renderedFeatures: number) => void): void {
    this.map.on('idle', () => listener(this.map.queryRenderedFeatures().length));
  }

  /**
   * `listener` once the first useful map is drawn: the basemap, the areas of every kind and the
   * sites loaded and rendered (the loss raster may still be coming). What a user waits for first.
   */
  onFirstUsefulMap(listener: () => void): void {
    // The sources are known now (called once the layers are added): getStyle() serialises the whole
    // style, too much for every frame.
    const sources = [...this.basemapSources, ...Object.keys(this.map.getStyle().sources).filter((id) => id.startsWith('areas-') || id === SITES_SOURCE || id === SITE_POINTS_SOURCE)];
    const check = () => {
      if (!sources.every((id) => this.map.getSource(id) && this.map.isSourceLoaded(id))) return;
      this.map.off('render', check);
      listener();
    };
    this.map.on('render', check);
  }

  /** For the browser tests and for debugging from the console: the map, read-only by convention. */
  exposeForTests(): void {
    (window as unknown as { atalayaMap: unknown }).atalayaMap = this.map;
  }

  // ------------------------------------------------------------ drawing and uploaded shapes
  /** The drawing tool on this map, loaded on first use (the public never downloads terra-draw unless it draws). */
  async drawTool(onShape: (geometry: GeoJSON.Geometry, origin: 'drawn' | 'uploaded') => void): Promise<DrawTool> {
    if (!this.draw) {
      const { DrawTool } = await import('./draw_tool');
      this.draw ??= new DrawTool(this.map, onShape);
    }
    return this.draw;
  }

  /** True while the user is drawing: map clicks then belong to the drawing, not to selection. */
  get drawing(): boolean {
    return this.draw?.drawing ?? false;
  }

  /**
   * Adds the areas of one kind as vector tiles (thousands of concessions never travel as one
   * GeoJSON); kinds draw in areaKindOrder, unknown kinds last. Tiles stop at z14 and are overzoomed.
   */
  setAreaTiles(kind: string): void {
    if (this.map.getSource(areaSourceId(kind))) return;
    this.map.addSource(areaSourceId(kind), { type: 'vector', tiles: [areaTileUrl(location.origin, kind)], minzoom: 0, maxzoom: 14 });
    const before = this.firstLayerAbove(kind);
    for (const layer of areaLayers(kind, this.visibility.get(kind) ?? true, this.opacity.get(kind) ?? 1)) this.map.addLayer(layer, before);
    this.map.addLayer({ id: selectedLayerId(kind), type: 'line', source: areaSourceId(kind), 'source-layer': kind, filter: ['==', ['id'], -1], paint: { 'line-color': '#ff6f00', 'line-width': 3.5 } }, before);
  }

  /** Sites as two GeoJSON sources: shapes, and points clustered where dense. */
  setSites(data: SiteCollection): void {
    this.sites = data;
    const { points, shapes } = splitSites(data.features, this.activityFilter);
    const shapeData = { type: 'FeatureCollection', features: shapes } as GeoJSON.FeatureCollection;
    const pointData = { type: 'FeatureCollection', features: points } as GeoJSON.FeatureCollection;
    const source = this.map.getSource<GeoJSONSource>(SITES_SOURCE);
    if (source) {
      source.setData(shapeData);
      this.map.getSource<GeoJSONSource>(SITE_POINTS_SOURCE)?.setData(pointData);
      return;
    }
    this.map.addSource(SITES_SOURCE, { type: 'geojson', data: shapeData });
    this.map.addSource(SITE_POINTS_SOURCE, { type: 'geojson', data: pointData, cluster: true, clusterRadius: SITE_CLUSTER_RADIUS, clusterMaxZoom: SITE_CLUSTER_MAX_ZOOM });
    // Under the place labels, except the cluster counts: those are placed first, so labels avoid them.
    const labels = this.map.getLayer('place-labels') ? 'place-labels' : undefined;
    for (const layer of siteLayers(this.visibility.get('sites') ?? true, this.opacity.get('sites') ?? 1)) this.map.addLayer(layer, layer.id === 'sites-cluster-count' ? undefined : labels);
  }

  /** A context layer's points (other cooperation projects), above the areas and under the programme's sites. */
  setContextPoints(code: string, url: string): void {
    const id = contextLayerId(code);
    if (this.map.getSource(id)) return;
    const group = contextGroup(code);
    this.contextCodes.add(code);
    this.map.addSource(id, { type: 'geojson', data: `${location.origin}${url}` });
    const before = siteLayerIds.find((l) => this.map.getLayer(l));
    const opacity = this.opacity.get(group) ?? 1;
    this.map.addLayer({
      id,
      type: 'circle',
      source: id,
      layout: { visibility: this.visibility.get(group) === false ? 'none' : 'visible' },
      paint: { 'circle-radius': 6, 'circle-color': '#ffffff', 'circle-opacity': 0.9 * opacity, 'circle-stroke-color': CONTEXT_COLOR, 'circle-stroke-width': 3, 'circle-stroke-opacity': opacity },
    }, before);
  }

  private readonly contextCodes = new Set<string>();

  /** The extent of the sites the filter leaves on the map. */
  visibleSitesBounds(): [number, number, number, number] | undefined {
    if (!this.sites) return undefined;
    const { points, shapes } = splitSites(this.sites.features, this.activityFilter);
    return bboxOf([...points, ...shapes].map((f) => f.geometry as GeoJSON.Geometry));
  }

  /** Shows only the sites of these activities (undefined: all). */
  filterSites(activityIds: Set<number> | undefined): void {
    this.activityFilter = activityIds;
    if (this.sites) this.setSites(this.sites);
  }

  /** Adds the forest-loss raster under the areas, or points it at another year range. */
  setLoss(layer: string, bounds: [number, number, number, number], from: number, to: number, treecover?: string): void {
    const url = `${location.origin}${lossTileUrl(layer, from, to, treecover)}`;
    const source = this.map.getSource<maplibregl.RasterTileSource>(LOSS_SOURCE);
    if (source && this.lossLayerName === layer) {
      source.setTiles([url]);
      return;
    }
    // Another layer has other bounds, which a source cannot change: it is replaced.
    this.removeRaster(LOSS_LAYER, LOSS_SOURCE);
    this.lossLayerName = layer;
    this.map.addSource(LOSS_SOURCE, { type: 'raster', tiles: [url], tileSize: 256, bounds, minzoom: 3, maxzoom: 14 });
    this.map.addLayer({ id: LOSS_LAYER, type: 'raster', source: LOSS_SOURCE, paint: { 'raster-resampling': 'nearest', 'raster-opacity': 0.9 * (this.opacity.get('loss') ?? 1) }, layout: { visibility: this.visibility.get('loss') === false ? 'none' : 'visible' } }, this.firstAreaLayer());
  }

  /** Alerts above the annual loss and the areas, for a window and confidences; replaced when the layer changes. */
  setAlerts(layer: string, bounds: [number, number, number, number], url: string): void {
    const full = `${location.origin}${url}`;
    const source = this.map.getSource<maplibregl.RasterTileSource>(ALERTS_SOURCE);
    if (source && this.alertLayerName === layer) {
      source.setTiles([full]);
      return;
    }
    this.removeRaster(ALERTS_LAYER, ALERTS_SOURCE);
    this.alertLayerName = layer;
    this.map.addSource(ALERTS_SOURCE, { type: 'raster', tiles: [full], tileSize: 256, bounds, minzoom: 3, maxzoom: 16 });
    // Above the areas' fills (alerts are what must be seen), under the sites and labels.
    const before = [...this.contextCodes].map(contextLayerId).find((id) => this.map.getLayer(id)) ?? siteLayerIds.find((id) => this.map.getLayer(id)) ?? (this.map.getLayer('place-labels') ? 'place-labels' : undefined);
    this.map.addLayer({ id: ALERTS_LAYER, type: 'raster', source: ALERTS_SOURCE, paint: { 'raster-resampling': 'nearest', 'raster-opacity': this.opacity.get('alerts') ?? 1 }, layout: { visibility: this.visibility.get('alerts') === false ? 'none' : 'visible' } }, before);
  }

  private alertLayerName: string | undefined;
  private readonly vectorAlertIds = new Set<string>();

  /** Alerts published as points or polygons (GeoBosques) for the window, orange apart from the raster alerts' lavender to indigo. */
  setVectorAlerts(name: string, url: string): void {
    const id = `vector-alerts-${name}`;
    const data = `${location.origin}${url}`;
    const source = this.map.getSource<GeoJSONSource>(id);
    if (source) return void source.setData(data);
    this.map.addSource(id, { type: 'geojson', data });
    const visibility = this.visibility.get('alerts') === false ? 'none' : 'visible';
    const before = siteLayerIds.find((l) => this.map.getLayer(l));
    this.map.addLayer({ id: `${id}-fill`, type: 'fill', source: id, filter: ['==', ['geometry-type'], 'Polygon'], layout: { visibility }, paint: { 'fill-color': VECTOR_ALERT_COLOR, 'fill-opacity': 0.8 } }, before);
    this.map.addLayer({ id: `${id}-point`, type: 'circle', source: id, filter: ['==', ['geometry-type'], 'Point'], layout: { visibility }, paint: { 'circle-radius': 4, 'circle-color': VECTOR_ALERT_COLOR, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } }, before);
    this.vectorAlertIds.add(`${id}-fill`).add(`${id}-point`);
  }

  /** Tree cover in 2000 under the loss (the loss layer's partner; none: removed); hidden until the user turns it on. */
  setTreecover(layer: string | undefined, bounds: [number, number, number, number]): void {
    if (this.treecoverLayerName === layer && (layer === undefined || this.map.getSource(TREECOVER_SOURCE))) return;
    this.removeRaster(TREECOVER_LAYER, TREECOVER_SOURCE);
    this.treecoverLayerName = layer;
    if (layer === undefined) return;
    this.map.addSource(TREECOVER_SOURCE, { type: 'raster', tiles: [`${location.origin}${treecoverTileUrl(layer)}`], tileSize: 256, bounds, minzoom: 3, maxzoom: 14 });
    const before = this.map.getLayer(LOSS_LAYER) ? LOSS_LAYER : this.firstAreaLayer();
    this.map.addLayer({ id: TREECOVER_LAYER, type: 'raster', source: TREECOVER_SOURCE, paint: { 'raster-resampling': 'nearest', 'raster-opacity': 0.8 * (this.opacity.get('treecover') ?? 1) }, layout: { visibility: this.visibility.get('treecover') === true ? 'visible' : 'none' } }, before);
  }

  private lossLayerName: string | undefined;
  private treecoverLayerName: string | undefined;

  private removeRaster(layerId: string, sourceId: string): void {
    if (this.map.getLayer(layerId)) this.map.removeLayer(layerId);
    if (this.map.getSource(sourceId)) this.map.removeSource(sourceId);
  }

  /** Shows or hides one layer group (an area kind, 'sites', 'loss', 'treecover'); skips the work when nothing changes. */
  setVisible(group: string, visible: boolean): void {
    if (this.visibility.get(group) === visible) return;
    this.visibility.set(group, visible);
    for (const id of this.layerIdsOf(group)) {
      if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    }
  }

  setOpacity(group: string, opacity: number): void {
    if ((this.opacity.get(group) ?? 1) === opacity) return;
    this.opacity.set(group, opacity);
    const set = (id: string, prop: string, value: number) => this.map.getLayer(id) && this.map.setPaintProperty(id, prop as Parameters<maplibregl.Map['setPaintProperty']>[1], value);
    if (group === 'loss') set(LOSS_LAYER, 'raster-opacity', 0.9 * opacity);
    else if (group === 'alerts') set(ALERTS_LAYER, 'raster-opacity', opacity);
    else if (group === 'treecover') set(TREECOVER_LAYER, 'raster-opacity', 0.8 * opacity);
    else if (group === 'sites') {
      set('sites-polygon', 'fill-opacity', 0.5 * opacity);
      set('sites-line', 'line-opacity', opacity);
      set('sites-cluster', 'circle-opacity', 0.85 * opacity);
      set('sites-cluster', 'circle-stroke-opacity', opacity);
      set('sites-cluster-count', 'text-opacity', opacity);
      set('sites-point', 'circle-opacity', opacity);
      set('sites-point', 'circle-stroke-opacity', opacity);
    } else if (isContextGroup(group)) {
      const id = contextLayerId(group.slice('context_'.length));
      set(id, 'circle-opacity', 0.9 * opacity);
      set(id, 'circle-stroke-opacity', opacity);
    } else {
      set(areaFillLayerId(group), 'fill-opacity', areaStyle(group).fillOpacity * opacity);
      set(areaLineLayerId(group), 'line-opacity', opacity);
    }
  }

  /** Outlines the selected area (kind, id), or nothing. */
  highlightArea(selected: { kind: string; id: number } | undefined): void {
    for (const kind of areaKindOrder) {
      if (this.map.getLayer(selectedLayerId(kind))) this.map.setFilter(selectedLayerId(kind), ['==', ['id'], selected?.kind === kind ? selected.id : -1]);
    }
  }

  // ------------------------------------------------------------ trend zones
  /** The buffer around a selected site or activity (red outline) and its comparison ring (blue); undefined clears them. */
  setTrendZones(zones: { buffer: unknown; ring: unknown } | undefined): void {
    const features = zones
      ? [
          { type: 'Feature', properties: { zone: 'ring' }, geometry: zones.ring },
          { type: 'Feature', properties: { zone: 'buffer' }, geometry: zones.buffer },
        ]
      : [];
    const data = { type: 'FeatureCollection', features } as GeoJSON.FeatureCollection;
    const source = this.map.getSource<GeoJSONSource>(TREND_ZONES_SOURCE);
    if (source) return void source.setData(data);
    if (!zones) return;
    this.map.addSource(TREND_ZONES_SOURCE, { type: 'geojson', data });
    const before = this.map.getLayer('sites-polygon') ? 'sites-polygon' : undefined;
    this.map.addLayer({ id: 'trend-ring', type: 'fill', source: TREND_ZONES_SOURCE, filter: ['==', ['get', 'zone'], 'ring'], paint: { 'fill-color': '#1565c0', 'fill-opacity': 0.12, 'fill-outline-color': '#1565c0' } }, before);
    this.map.addLayer({ id: 'trend-buffer', type: 'line', source: TREND_ZONES_SOURCE, filter: ['==', ['get', 'zone'], 'buffer'], paint: { 'line-color': '#c62828', 'line-width': 2, 'line-dasharray': [2, 1] } }, before);
  }

  /** A popup with `content` at `at` (one at a time). */
  showPopup(at: maplibregl.LngLat, content: HTMLElement): void {
    this.popup?.remove();
    this.popup = new maplibregl.Popup({ maxWidth: '320px' }).setLngLat(at).setDOMContent(content).addTo(this.map);
  }

  private popup: maplibregl.Popup | undefined;

  // ------------------------------------------------------------ offline packages
  /**
   * Shows a package stored on this device above everything else, read by byte ranges from the
   * stored file (the pmtiles protocol with a File source: no network), with its outline; and fits it.
   */
  async showPackage(id: number, archive: File, content: { kinds: readonly string[]; lossYears: [number, number] | null; basemap: boolean; outline: GeoJSON.Geometry; bounds: readonly [number, number, number, number] }, lang: 'en' | 'es'): Promise<void> {
    // The basemap's styles first (a separate chunk, fetched before anything is added, so a failure leaves no half-shown package).
    const basemap = content.basemap ? (await import('./package_basemap')).packageBasemapLayers(packageSourceId(id), packageLayerPrefix(id), lang) : [];
    this.hidePackage(id);
    const archiveReader = new PMTiles(new FileSource(archive));
    pmtilesProtocol().add(archiveReader);
    this.map.addSource(packageSourceId(id), { type: 'vector', url: `pmtiles://${archiveReader.source.getKey()}` });
    this.map.addSource(`${packageSourceId(id)}-outline`, { type: 'geojson', data: { type: 'Feature', properties: {}, geometry: content.outline } });
    // The package's streets, water and land under everything else, above the country fills of the built-in basemap.
    const style = this.map.getStyle().layers;
    const baseTop = style.findIndex((l) => l.id === 'peru-outline');
    const under = baseTop >= 0 ? style[baseTop + 1]?.id : this.firstAreaLayer();
    for (const layer of basemap) this.map.addLayer(layer, under);
    for (const layer of packageLayers(id, content.kinds, content.lossYears)) this.map.addLayer(layer);
    this.map.addLayer({ id: `${packageLayerPrefix(id)}outline`, type: 'line', source: `${packageSourceId(id)}-outline`, paint: { 'line-color': '#ff6f00', 'line-width': 3, 'line-dasharray': [2, 1] } });
    this.fitBounds(content.bounds, 16);
  }

  hidePackage(id: number): void {
    for (const l of this.map.getStyle().layers.filter((l) => l.id.startsWith(packageLayerPrefix(id)))) this.map.removeLayer(l.id);
    for (const s of [packageSourceId(id), `${packageSourceId(id)}-outline`]) if (this.map.getSource(s)) this.map.removeSource(s);
  }

  /** Every click on the map that is not part of a drawing, with its position and its screen point. */
  onMapClick(handler: (at: { lng: number; lat: number }, point: { x: number; y: number }) => void): void {
    this.map.on('click', (e: MapMouseEvent) => {
      if (!this.drawing) handler(e.lngLat, e.point);
    });
  }

  /** Where a position is on the screen now (pixels from the map's top left). */
  screenPoint(lng: number, lat: number): { x: number; y: number } {
    return this.map.project([lng, lat]);
  }

  /** The box the map shows now: west, south, east, north. */
  viewBounds(): [number, number, number, number] {
    const b = this.map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
  }

  // ------------------------------------------------------------ clicks
  onFeatureClick(handler: FeatureClickHandler): void {
    const clickable = () => [
      ...[...this.contextCodes].map(contextLayerId).filter((id) => this.map.getLayer(id)),
      ...siteLayerIds.filter((id) => id !== 'sites-cluster-count' && this.map.getLayer(id)),
      ...[...areaKindOrder].reverse().map(areaFillLayerId).filter((id) => this.map.getLayer(id)),
    ];
    this.map.on('click', (e: MapLayerMouseEvent) => {
      if (this.drawing) return;
      const hit = this.map.queryRenderedFeatures(e.point, { layers: clickable() })[0];
      if (!hit) return;
      if (hit.layer.id === 'sites-cluster') {
        // A cluster opens into its sites: zoom to where it splits.
        const source = this.map.getSource<GeoJSONSource>(SITE_POINTS_SOURCE)!;
        void source.getClusterExpansionZoom(Number(hit.properties.cluster_id)).then((zoom) => this.map.easeTo({ center: e.lngLat, zoom }));
        return;
      }
      const layer = hit.layer.id.startsWith('sites') ? 'site' : hit.layer.id.startsWith('context-') ? 'context' : 'area';
      const context = layer === 'context' ? { contextCode: hit.layer.id.slice('context-'.length) } : {};
      handler({ layer, id: typeof hit.id === 'number' ? hit.id : undefined, properties: hit.properties as Record<string, unknown>, ...context }, e.lngLat);
    });
    this.map.on('mousemove', (e: MapMouseEvent) => {
      const over = this.map.queryRenderedFeatures(e.point, { layers: clickable() }).length > 0;
      this.map.getCanvas().style.cursor = over ? 'pointer' : '';
    });
  }

  private layerIdsOf(group: string): string[] {
    if (group === 'sites') return [...siteLayerIds];
    if (group === 'loss') return [LOSS_LAYER];
    if (group === 'alerts') return [ALERTS_LAYER, ...this.vectorAlertIds];
    if (group === 'treecover') return [TREECOVER_LAYER];
    if (isContextGroup(group)) return [contextLayerId(group.slice('context_'.length))];
    return [areaFillLayerId(group), areaLineLayerId(group), selectedLayerId(group)];
  }

  private firstAreaLayer(): string | undefined {
    return this.map.getStyle().layers.find((l) => l.id.startsWith('areas-'))?.id;
  }

  private firstLayerAbove(kind: string): string | undefined {
    const index = areaKindOrder.indexOf(kind);
    const later = index < 0 ? [] : areaKindOrder.slice(index + 1);
    for (const k of later) if (this.map.getLayer(areaFillLayerId(k))) return areaFillLayerId(k);
    for (const id of siteLayerIds) if (this.map.getLayer(id)) return id;
    if (this.map.getLayer('place-labels')) return 'place-labels';
    return undefined;
  }
}
