import * as maplibregl from 'maplibre-gl';
import type { AreaKind } from '@atalaya/api';
import { fetchAreaKinds, fetchAreas, fetchHealth, fetchSites } from './api/client';
import { initialLang, translate, type Lang } from './i18n';
import { loadBasemapData } from './map/basemap';
import { MapView } from './map/map_view';
import { areaKindOrder } from './layers/area_layers';
import { renderLayerPanel, type LayerPanelModel } from './panels/layer_panel';
import { featurePopupContent } from './panels/feature_popup';

const panel = document.getElementById('panel')!;
const model: LayerPanelModel = { lang: initialLang(), kinds: [], siteCount: 0, visible: {} };
let view: MapView | undefined;

function render(): void {
  document.documentElement.lang = model.lang;
  document.getElementById('subtitle')!.textContent = translate(model.lang, 'subtitle');
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === model.lang));
  }
  renderLayerPanel(panel, model, (group, visible) => {
    model.visible[group] = visible;
    view?.setVisible(group, visible);
  });
}

for (const b of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) {
  b.addEventListener('click', () => {
    model.lang = b.dataset.lang as Lang;
    localStorage.setItem('atalaya.lang', model.lang);
    render();
  });
}

function sortKinds(kinds: AreaKind[]): AreaKind[] {
  const rank = (k: string) => (areaKindOrder.includes(k) ? areaKindOrder.indexOf(k) : areaKindOrder.length);
  return [...kinds].sort((a, b) => rank(a.code) - rank(b.code));
}

async function start(): Promise<void> {
  model.status = { text: translate(model.lang, 'loading'), error: false };
  render();
  try {
    const [basemap, kinds, health] = await Promise.all([loadBasemapData(), fetchAreaKinds(), fetchHealth()]);
    model.kinds = sortKinds(kinds);
    model.databaseKind = health.database.kind;
    view = new MapView(document.getElementById('map')!, basemap);
    const [areas, sites] = await Promise.all([
      Promise.all(model.kinds.map((k) => fetchAreas({ kind: k.code }).then((fc) => [k.code, fc] as const))),
      fetchSites({}),
      view.whenReady(),
    ]);
    for (const [kind, fc] of areas) view.setAreas(kind, fc);
    view.setSites(sites);
    model.siteCount = sites.numberMatched;
    view.onFeatureClick((target, lngLat) => {
      new maplibregl.Popup({ maxWidth: '320px' })
        .setLngLat(lngLat)
        .setDOMContent(featurePopupContent(model.lang, target.layer, target.properties))
        .addTo(view!.map);
    });
    view.map.on('idle', () => {
      // Read by the browser tests: the map drew, and how many features it drew.
      document.body.dataset.renderedFeatures = String(view!.map.queryRenderedFeatures().length);
      document.body.setAttribute('data-map-ready', 'true');
    });
    delete model.status;
  } catch (err) {
    model.status = { text: `${translate(model.lang, 'loadFailed')} ${(err as Error).message}`, error: true };
  }
  render();
}

void start();
