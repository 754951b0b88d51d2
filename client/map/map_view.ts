// The one module that owns the maplibregl.Map: everything else changes the map through it.
import './maplibre_worker';
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, MapLayerMouseEvent, MapMouseEvent } from 'maplibre-gl';
import type { SiteCollection } from '@atalaya/api';
import { basemapStyle, type BasemapData } from './basemap';
import {
  LOSS_LAYER,
  LOSS_SOURCE,
  SITES_SOURCE,
  lossTileUrl,
  areaFillLayerId,
  areaKindOrder,
  areaLayers,
  areaLineLayerId,
  areaSourceId,
  areaTileUrl,
  siteLayerIds,
  siteLayers,
} from '../layers/area_layers';

export type FeatureClickHandler = (
  target: { layer: 'area' | 'site'; id: number | undefined; properties: Record<string, unknown> },
  lngLat: maplibregl.LngLat,
) => void;

/** Peru's extent with a margin, lon/lat. */
export const PERU_BOUNDS: [[number, number], [number, number]] = [[-82.5, -18.8], [-68.0, 0.2]];

export class MapView {
  readonly map: maplibregl.Map;
  private readonly visibility = new Map<string, boolean>();
  private readonly ready: Promise<void>;

  constructor(container: HTMLElement, basemap: BasemapData) {
    this.map = new maplibregl.Map({
      container,
      style: basemapStyle(basemap),
      bounds: PERU_BOUNDS,
      attributionControl: { compact: false, customAttribution: 'Natural Earth · Atalaya demo data (synthetic)' },
    });
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
    this.ready = new Promise((resolve) => this.map.once('load', () => resolve()));
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  /**
   * Adds the areas of one kind as vector tiles (thousands of concessions never travel as one
   * GeoJSON); kinds draw in areaKindOrder, unknown kinds last. Tiles stop at z14 and are overzoomed.
   */
  setAreaTiles(kind: string): void {
    if (this.map.getSource(areaSourceId(kind))) return;
    this.map.addSource(areaSourceId(kind), { type: 'vector', tiles: [areaTileUrl(location.origin, kind)], minzoom: 0, maxzoom: 14 });
    const before = this.firstLayerAbove(kind);
    for (const layer of areaLayers(kind, this.visibility.get(kind) ?? true)) this.map.addLayer(layer, before);
  }

  setSites(data: SiteCollection): void {
    const source = this.map.getSource<GeoJSONSource>(SITES_SOURCE);
    if (source) {
      source.setData(data as GeoJSON.FeatureCollection);
      return;
    }
    this.map.addSource(SITES_SOURCE, { type: 'geojson', data: data as GeoJSON.FeatureCollection });
    for (const layer of siteLayers(this.visibility.get('sites') ?? true)) this.map.addLayer(layer);
  }

  /** Adds the forest-loss raster under the areas, or points it at another year range. */
  setLoss(layer: string, bounds: [number, number, number, number], from: number, to: number, treecover?: string): void {
    const url = `${location.origin}${lossTileUrl(layer, from, to, treecover)}`;
    const source = this.map.getSource<maplibregl.RasterTileSource>(LOSS_SOURCE);
    if (source) {
      source.setTiles([url]);
      return;
    }
    this.map.addSource(LOSS_SOURCE, { type: 'raster', tiles: [url], tileSize: 256, bounds, minzoom: 3, maxzoom: 14 });
    const firstArea = this.map.getStyle().layers.find((l) => l.id.startsWith('areas-'))?.id;
    this.map.addLayer({ id: LOSS_LAYER, type: 'raster', source: LOSS_SOURCE, paint: { 'raster-resampling': 'nearest', 'raster-opacity': 0.9 }, layout: { visibility: this.visibility.get('loss') === false ? 'none' : 'visible' } }, firstArea);
  }

  /** Shows or hides one layer group ('sites' or an area kind); skips the work when nothing changes. */
  setVisible(group: string, visible: boolean): void {
    if (this.visibility.get(group) === visible) return;
    this.visibility.set(group, visible);
    const ids = group === 'sites' ? [...siteLayerIds] : group === 'loss' ? [LOSS_LAYER] : [areaFillLayerId(group), areaLineLayerId(group)];
    for (const id of ids) {
      if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    }
  }

  onFeatureClick(handler: FeatureClickHandler): void {
    const clickable = () => [
      ...siteLayerIds.filter((id) => this.map.getLayer(id)),
      ...[...areaKindOrder].reverse().map(areaFillLayerId).filter((id) => this.map.getLayer(id)),
    ];
    this.map.on('click', (e: MapLayerMouseEvent) => {
      const hit = this.map.queryRenderedFeatures(e.point, { layers: clickable() })[0];
      if (!hit) return;
      const layer = hit.layer.id.startsWith('sites') ? 'site' : 'area';
      handler({ layer, id: typeof hit.id === 'number' ? hit.id : undefined, properties: hit.properties as Record<string, unknown> }, e.lngLat);
    });
    this.map.on('mousemove', (e: MapMouseEvent) => {
      const over = this.map.queryRenderedFeatures(e.point, { layers: clickable() }).length > 0;
      this.map.getCanvas().style.cursor = over ? 'pointer' : '';
    });
  }

  private firstLayerAbove(kind: string): string | undefined {
    const index = areaKindOrder.indexOf(kind);
    const later = index < 0 ? [] : areaKindOrder.slice(index + 1);
    for (const k of later) if (this.map.getLayer(areaFillLayerId(k))) return areaFillLayerId(k);
    for (const id of siteLayerIds) if (this.map.getLayer(id)) return id;
    return undefined;
  }
}
