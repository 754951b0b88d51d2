import * as maplibregl from 'maplibre-gl';
import type { AreaKind } from '@atalaya/api';
import { fetchActivityLinks, fetchAreaActivities, fetchAreaKinds, fetchAreaItem, fetchHealth, fetchIndicators, fetchLoss, fetchRasterLayers, fetchSites, fetchTrend, lossUrl } from './api/client';
import { appendProgress } from './panels/progress_summary';
import { appendLossChart } from './panels/loss_chart';
import { renderConcessionTable, type ReviewItem, type ReviewState } from './panels/concession_table';

const reviewState: ReviewState = { sort: 'rate_during_pct', order: 'desc', offset: 0, type: '', region: '', flagged: false };
let showOnMap: (item: ReviewItem) => void = () => undefined;

/** The review table under the map, opened and closed from the top bar. */
function setupReview(onShow: (item: ReviewItem) => void): void {
  showOnMap = onShow;
  const button = document.getElementById('review-toggle')!;
  const panel = document.getElementById('review')!;
  button.addEventListener('click', () => {
    const open = panel.hidden;
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) void renderConcessionTable(panel, model.lang, reviewState, showOnMap);
    view?.map.resize();
  });
}
import { initialLang, translate, type Lang } from './i18n';
import { loadBasemapData } from './map/basemap';
import { MapView } from './map/map_view';
import { areaKindOrder } from './layers/area_layers';
import { renderLayerPanel, type LayerPanelModel } from './panels/layer_panel';
import { appendLinkList, featurePopupContent } from './panels/feature_popup';

const panel = document.getElementById('panel')!;
const model: LayerPanelModel = { lang: initialLang(), kinds: [], siteCount: 0, visible: {} };
let view: MapView | undefined;
let lossBounds: [number, number, number, number] = [-180, -85, 180, 85];

function render(): void {
  document.documentElement.lang = model.lang;
  document.getElementById('subtitle')!.textContent = translate(model.lang, 'subtitle');
  document.getElementById('review-toggle')!.textContent = translate(model.lang, 'review');
  const reportLink = document.getElementById('report-link') as HTMLAnchorElement;
  reportLink.textContent = translate(model.lang, 'progressReport');
  reportLink.href = `/report?lang=${model.lang}`;
  const reviewPanel = document.getElementById('review')!;
  if (!reviewPanel.hidden) void renderConcessionTable(reviewPanel, model.lang, reviewState, showOnMap);
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === model.lang));
  }
  renderLayerPanel(
    panel,
    model,
    (group, visible) => {
      model.visible[group] = visible;
      view?.setVisible(group, visible);
    },
    (from, to) => {
      if (!model.loss) return;
      model.loss = { ...model.loss, from, to };
      view?.setLoss(model.loss.layer, lossBounds, from, to, model.loss.treecover);
    },
  );
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
    const [sites, rasters] = await Promise.all([
      fetchSites({}),
      fetchRasterLayers(),
      view.whenReady(),
    ]);
    const loss = rasters.find((r) => r.kind === 'lossyear' && r.ready && r.legend);
    if (loss?.legend) {
      const years = loss.legend.entries.map((e) => e.year);
      const treecover = rasters.find((r) => r.kind === 'treecover' && r.ready)?.name;
      model.loss = { layer: loss.name, ...(treecover ? { treecover } : {}), firstYear: years[0]!, lastYear: years.at(-1)!, from: years[0]!, to: years.at(-1)!, colors: loss.legend.entries.map((e) => e.color) };
      lossBounds = loss.bounds;
    }
    for (const k of model.kinds) view.setAreaTiles(k.code);
    view.setSites(sites);
    if (model.loss) view.setLoss(model.loss.layer, lossBounds, model.loss.from, model.loss.to, model.loss.treecover);
    model.siteCount = sites.numberMatched;
    const openPopup = (target: Parameters<Parameters<MapView['onFeatureClick']>[0]>[0], lngLat: maplibregl.LngLatLike) => {
      // Low-zoom area tiles carry no names (kept small): the popup reads them from the OGC item.
      if (target.layer === 'area' && target.id !== undefined && target.properties.name === undefined && typeof target.properties.kind === 'string') {
        const kind = target.properties.kind;
        void fetchAreaItem(kind, target.id)
          .then((item) => openPopup({ ...target, properties: { ...target.properties, ...item.properties } }, lngLat))
          .catch(() => undefined);
        return;
      }
      const content = featurePopupContent(model.lang, target.layer, target.properties, (code) => model.kinds.find((k) => k.code === code)?.label[model.lang] ?? code);
      const popup = new maplibregl.Popup({ maxWidth: '340px' }).setLngLat(lngLat).setDOMContent(content).addTo(view!.map);
      const controller = new AbortController();
      popup.on('close', () => controller.abort());
      const lang = model.lang;
      // Links and the loss chart load after the popup opens, so it shows at once; a failure only leaves them out.
      const subject = target.layer === 'area' ? 'area' : 'site';
      const id = target.id;
      const loss = model.loss;
      if (id !== undefined && loss) {
        const chartBox = document.createElement('div');
        content.append(chartBox);
        void fetchLoss(subject, id, controller.signal)
          .then((answer) => {
            const chart = appendLossChart(chartBox, { lang, answer, from: loss.from, to: loss.to, csvUrl: lossUrl(subject, id, 'csv'), colors: loss.colors, ...(answer.provenance.buffer_m ? { bufferKm: answer.provenance.buffer_m / 1000 } : {}) });
            popup.on('close', () => chart?.destroy());
          })
          .catch(() => undefined);
      }
      if (target.layer === 'area' && target.id !== undefined) {
        void fetchAreaActivities(target.id, controller.signal)
          .then((r) => appendLinkList(lang, content, 'activitiesHere', r.activities.map((a) => ({ label: `${a.code} ${a.title}`, relation: a.relation, distanceM: a.distanceM }))))
          .catch(() => undefined);
      } else if (target.layer === 'site') {
        const activityId = Number(target.properties.activityId);
        if (Number.isInteger(activityId)) {
          // The activity's indicators and trend: the trend may fail (no raster, no sites) and is then left out.
          void Promise.all([fetchIndicators(activityId, controller.signal), fetchTrend(activityId, controller.signal).catch(() => undefined)])
            .then(([list, trend]) => appendProgress(content, lang, list.indicators, trend, `/report?lang=${lang}&q=${encodeURIComponent(String(target.properties.activityCode ?? ''))}#activity-${activityId}`))
            .catch(() => undefined);
          void fetchActivityLinks(activityId, controller.signal)
            .then((links) => appendLinkList(lang, content, 'linkedAreas', links.map((l) => ({ label: l.name, relation: l.relation, distanceM: l.distanceM }))))
            .catch(() => undefined);
        }
      }
    };
    view.onFeatureClick(openPopup);
    setupReview((item) => {
      view!.map.fitBounds([[item.bbox[0], item.bbox[1]], [item.bbox[2], item.bbox[3]]], { padding: 60, maxZoom: 11, duration: 0 });
      openPopup({ layer: 'area', id: item.id, properties: { name: item.name, kind: 'forest_concession', areaHa: (item as unknown as { area_ha: number }).area_ha } }, [(item.bbox[0] + item.bbox[2]) / 2, (item.bbox[1] + item.bbox[3]) / 2]);
    });
    // For the browser tests and for debugging from the console: the map, read-only by convention.
    (window as unknown as { atalayaMap: unknown }).atalayaMap = view.map;
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
