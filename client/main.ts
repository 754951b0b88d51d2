// The application's start: reads the state from the URL, loads what the first view needs, builds the
// map and wires the stores to the parts (client/app). Every change of what is shown goes through
// the URL state store; the back button replays the URL.
import { fetchActivities, fetchAreaKinds, fetchClientConfig, fetchContextLayers, fetchHealth, fetchProgramme, fetchRasterLayers, fetchSites } from './api/client';
import { currentUser, refreshSession, signOut } from './api/session';
import { initialLang, type Lang } from './i18n';
import { basemapStyle, prefetchNaturalEarth } from './map/basemap';
import { MapView, prewarmMap } from './map/map_view';
import { areaKindOrder } from './layers/area_layers';
import { contextGroup, contextItemsUrl, contextPopup } from './layers/context_layers';
import { fetchAlertLayers, fetchVectorAlertLayers } from './api/alerts';
import { DetailsPanel } from './panels/details_panel';
import { lossControlOf } from './app/loss_layer_choice';
import { setupSearchBox } from './panels/search_box';
import { emptyState, isVisible, type AppState } from './state/app_state';
import { decodeState } from './state/url_state';
import { syncWithUrl } from './state/url_sync';
import { App, type AppData } from './app/app';
import { applyState } from './app/apply_state';
import { renderChrome } from './app/chrome';
import { renderDrawer } from './app/drawer';
import { pickSearchResult } from './app/selection';
import { setServerReachable } from './offline/connectivity';

const initial = decodeState(location.search);
const app = new App(initial, initial.lang ?? initialLang(), new DetailsPanel(document.getElementById('details')!, () => app.commit({ selection: undefined }, 'push')));
const panelRoot = document.getElementById('panel')!;

const refreshSearchLabels = setupSearchBox(document.getElementById('search-box')!, () => ({
  placeholder: app.t('searchPlaceholder'),
  noResults: app.t('noResults'),
  typeLabel: (r) => (r.type === 'area' ? app.data.get().kinds.find((k) => k.code === r.detail)?.label[app.lang] ?? r.detail : r.type === 'place' ? app.t('place') : r.type === 'site' ? `${app.t('site')} · ${r.detail}` : app.t('activity')),
  onPick: (r) => pickSearchResult(app, r),
}));
/**
 * Who made what is on the map, each once: the basemap, the synthetic demo data where any layer has
 * it, each imported or fetched layer's source and licence, and the loss layer's.
 */
const attribution = () => {
  const { loss, kinds, contextLayers, alertLayer } = app.data.get();
  const named = (source: string, licence: string | null | undefined) => `${source}${licence ? ` (${licence})` : ''}`;
  const shown = kinds.filter((k) => k.count > 0 && isVisible(app.state.get(), k.code));
  const real = [
    ...shown.flatMap((k) => k.sources.filter((s) => !s.synthetic).map((s) => named(s.source, s.licence))),
    ...contextLayers.filter((l) => l.count > 0 && isVisible(app.state.get(), contextGroup(l.code))).map((l) => named(l.source, l.licence)),
    ...(alertLayer && !alertLayer.synthetic && alertLayer.attribution && isVisible(app.state.get(), 'alerts') ? [named(alertLayer.attribution, alertLayer.licence)] : []),
    ...(isVisible(app.state.get(), 'alerts') ? app.data.get().vectorAlertLayers.filter((v) => v.alerts > 0).map((v) => named(v.attribution, v.licence)) : []),
  ];
  const synthetic = kinds.length === 0 || shown.some((k) => k.sources.some((s) => s.synthetic)) || loss?.synthetic || (alertLayer?.synthetic && isVisible(app.state.get(), 'alerts'));
  return [...new Set([basemapAttribution, synthetic ? app.t('demoAttribution') : undefined, ...real, loss?.source ? named(loss.source, loss.licence) : undefined].filter((v): v is string => Boolean(v)))].join(' · ');
};
let shownAttribution = '';
const controlLabels = () => ({ zoomIn: app.t('zoomIn'), zoomOut: app.t('zoomOut'), map: app.t('mapLabel'), toggleAttribution: app.t('toggleAttribution') });
/** Names the makers of what is shown now (a layer turned off drops out); labels follow the new control. */
const refreshAttribution = () => {
  const text = attribution();
  if (app.view && shownAttribution !== text) {
    shownAttribution = text;
    app.view.setAttribution(text);
    // A new attribution control starts with the labels the map was made with.
    app.view.setControlLabels(controlLabels());
  }
};
const chrome = () => {
  renderChrome(app, refreshSearchLabels);
  refreshAttribution();
  app.view?.setControlLabels(controlLabels());
};
let basemapAttribution = '';

// ---------------------------------------------------------------- stores -> parts
syncWithUrl(app.state);
app.state.subscribe((next, prev, why) => {
  applyState(app, prev, next, why === 'history', chrome);
  refreshAttribution();
});
// The chrome shows the language, the status line, the layer list's kinds and counts.
const chromeKeys: (keyof AppData)[] = ['lang', 'status', 'kinds', 'contextLayers', 'siteCount', 'databaseKind'];
app.data.subscribe((next, prev) => {
  if (chromeKeys.some((k) => next[k] !== prev[k])) chrome();
});

// ---------------------------------------------------------------- header buttons
for (const b of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) b.addEventListener('click', () => app.commit({ lang: b.dataset.lang as Lang }, 'replace'));
for (const b of document.querySelectorAll<HTMLButtonElement>('button[data-drawer]')) {
  b.addEventListener('click', () => app.commit({ drawer: app.state.get().drawer === b.dataset.drawer ? undefined : (b.dataset.drawer as AppState['drawer']) }));
}
document.getElementById('account')!.addEventListener('click', () => {
  if (currentUser()) {
    void signOut().then(() => {
      if (app.state.get().drawer === 'edit' || app.state.get().drawer === 'subscriptions') app.commit({ drawer: undefined });
      if (app.state.get().selection?.type === 'edit') app.commit({ selection: undefined });
      chrome();
    });
  } else {
    void import('./panels/sign_in').then(({ openSignIn }) =>
      openSignIn(document.getElementById('sign-in') as HTMLDialogElement, app.lang, () => {
        chrome();
        // Opened from a digest's "change these digests" link: the subscriptions, now with the user's own.
        if (app.state.get().drawer === 'subscriptions') renderDrawer(app);
        else app.commit({ drawer: 'edit' });
      }),
    );
  }
});
document.getElementById('layers-toggle')!.addEventListener('click', (e) => {
  const open = panelRoot.classList.toggle('collapsed') === false;
  (e.currentTarget as HTMLElement).setAttribute('aria-expanded', String(open));
  app.view?.resize();
});
// Tablets and phones start with the layer list folded away, so the map has the screen.
if (window.matchMedia('(max-width: 900px)').matches) {
  panelRoot.classList.add('collapsed');
  document.getElementById('layers-toggle')!.setAttribute('aria-expanded', 'false');
}

// ---------------------------------------------------------------- start
const ACCURACY_KEY = 'atalaya-field-accuracy-m';

async function start(): Promise<void> {
  // The map's worker threads and the default basemap start loading now, while the API answers.
  prewarmMap();
  prefetchNaturalEarth();
  app.setStatus({ text: app.t('loading'), error: false });
  chrome();
  try {
    // Everything the first view needs, at once; the map is created as soon as its style is known.
    const [clientConfig, kindList, health, programme, activities, sites, rasters, contextLayers, alertLayers, vectorAlertLayers] = await Promise.all([
      fetchClientConfig(),
      fetchAreaKinds(),
      fetchHealth(),
      fetchProgramme(),
      fetchActivities({ limit: 10000 }),
      fetchSites({}),
      fetchRasterLayers(),
      fetchContextLayers(),
      fetchAlertLayers().catch(() => []),
      fetchVectorAlertLayers().catch(() => []),
      refreshSession().catch(() => undefined),
    ]);
    // Field reports made with no server check the accuracy limit it gave last.
    localStorage.setItem(ACCURACY_KEY, String(clientConfig.fieldAccuracyLimitM));
    const basemap = await basemapStyle(clientConfig.basemap, app.lang);
    basemapAttribution = basemap.attribution;
    const rank = (k: string) => (areaKindOrder.includes(k) ? areaKindOrder.indexOf(k) : areaKindOrder.length);
    const kinds = [...kindList].sort((a, b) => rank(a.code) - rank(b.code));
    const v = app.state.get().view;
    shownAttribution = `${basemap.attribution} · ${app.t('demoAttribution')}`;
    const view = new MapView(document.getElementById('map')!, basemap.style as never, v ? { center: [v.lng, v.lat], zoom: v.zoom } : undefined, shownAttribution, controlLabels());
    app.view = view;
    await view.whenReady();
    const loss = lossControlOf(rasters, app.state.get().lossLayer, app.state.get().years);
    for (const k of kinds) view.setAreaTiles(k.code);
    view.setSites(sites);
    for (const l of contextLayers) if (l.count > 0) view.setContextPoints(l.code, contextItemsUrl(l));
    if (loss) {
      if (loss.loss.treecover) view.setTreecover(loss.loss.treecover, loss.bounds);
      view.setLoss(loss.loss.layer, loss.bounds, loss.loss.from, loss.loss.to, loss.loss.treecover);
    }
    app.data.update({
      clientConfig,
      kinds,
      contextLayers,
      ...(alertLayers.length ? { alertLayer: alertLayers.at(-1)! } : {}),
      vectorAlertLayers,
      databaseKind: health.database.kind,
      programme,
      allActivities: activities.activities,
      matchingActivities: activities.activities,
      siteCount: sites.numberMatched,
      rasters,
      ...(loss ? { loss: loss.loss, lossBounds: loss.bounds } : {}),
      status: undefined,
    }, undefined);
    view.onFeatureClick((target, at) => {
      if (target.layer === 'context') {
        const layer = app.data.get().contextLayers.find((l) => l.code === target.contextCode);
        return view.showPopup(at, contextPopup(app.lang, layer, target.properties));
      }
      if (target.id === undefined) return;
      const kind = typeof target.properties.kind === 'string' ? target.properties.kind : '';
      app.commit({ selection: target.layer === 'area' ? { type: 'area', kind, id: target.id } : { type: 'site', id: target.id } });
    });
    view.onMoveEnd((position) => app.commit({ view: position }, 'replace'));
    view.exposeForTests();
    // Read by the client benchmark: when the basemap, the areas and the sites were on the screen.
    view.onFirstUsefulMap(() => (document.body.dataset.firstUsefulMs = String(Math.round(performance.now()))));
    view.onIdle((renderedFeatures) => {
      // Read by the browser tests: the map drew, and how many features it drew.
      document.body.dataset.renderedFeatures = String(renderedFeatures);
      if (!document.body.dataset.firstIdleMs) document.body.dataset.firstIdleMs = String(Math.round(performance.now())); // read by the client benchmark
      document.body.setAttribute('data-map-ready', 'true');
    });
    // The state from the URL, applied as if it had just been navigated to.
    applyState(app, emptyState(), app.state.get(), true, chrome);
    chrome();
    renderDrawer(app);
  } catch (err) {
    // Offline (the installed app in the forest): said in the reader's language, not the browser's "Failed to fetch".
    const offline = !navigator.onLine || err instanceof TypeError;
    app.setStatus({ text: offline ? app.t('offlineNoData') : `${app.t('loadFailed')} ${(err as Error).message}`, error: true });
    if (offline && !app.view) await startOffline().catch(() => undefined);
  }
}

/**
 * No server: the map on the built-in basemap (its data is part of the installed app), so the areas
 * stored on this device can be shown from the offline-areas drawer.
 */
async function startOffline(): Promise<void> {
  setServerReachable(false);
  const limit = Number(localStorage.getItem(ACCURACY_KEY));
  if (limit > 0) app.data.update({ clientConfig: { ...app.data.get().clientConfig, fieldAccuracyLimitM: limit } }, undefined);
  const basemap = await basemapStyle({ type: 'natural-earth' }, app.lang);
  basemapAttribution = basemap.attribution;
  const v = app.state.get().view;
  shownAttribution = basemap.attribution;
  const view = new MapView(document.getElementById('map')!, basemap.style as never, v ? { center: [v.lng, v.lat], zoom: v.zoom } : undefined, shownAttribution, controlLabels());
  app.view = view;
  await view.whenReady();
  view.onMoveEnd((position) => app.commit({ view: position }, 'replace'));
  view.exposeForTests();
  view.onIdle((renderedFeatures) => {
    document.body.dataset.renderedFeatures = String(renderedFeatures);
    document.body.setAttribute('data-map-ready', 'true');
  });
  renderDrawer(app);
}

// Field reports waiting on this device go when the server can be reached (now, on 'online', every 30 s).
void start().finally(() => void import('./offline/report_sync').then((m) => m.startReportSync()));
