// The application: reads the state from the URL, builds the map and the panels, and keeps all of
// them and the URL in step. Every change goes through commit(); the back button replays the URL.
import type { Activity, AreaKind, ClientConfig, Programme, RasterLayer } from '@atalaya/api';
import { clientConfigSchema, apiPaths, peruPlaces } from '@atalaya/api';
import { fetchAgencies, fetchActivities, fetchAreaKinds, fetchHealth, fetchMatrix, fetchProgramme, fetchRasterLayers, fetchSites } from './api/client';
import { initialLang, translate, type Lang, type MessageKey } from './i18n';
import { basemapStyle } from './map/basemap';
import type { DrawTool } from './map/draw_tool';
import { geometryFromUpload, MAX_UPLOAD_BYTES, UploadError, type DrawMode } from './map/upload_shape';
import { MapView } from './map/map_view';
import { area as geodesicArea } from '@turf/turf';
import { areaKindOrder } from './layers/area_layers';
import { renderActivityBrowser } from './panels/activity_browser';
import { renderConcessionTable, type ReviewState } from './panels/concession_table';
import { DetailsPanel } from './panels/details_panel';
import { renderLayerPanel, type LossControl } from './panels/layer_panel';
import { renderProgrammeMatrix } from './panels/programme_matrix';
import { currentUser, myActivities, refreshSession, signOut } from './api/session';
import { setupSearchBox, type SearchResult } from './panels/search_box';
import { showActivity, showArea, showShape, showSite, type SubjectContext } from './panels/subject_details';
import { hasFilter, isVisible, type AppState, type Selection } from './state/app_state';
import { decodeState, encodeState } from './state/url_state';

let state: AppState = decodeState(location.search);
let lang: Lang = state.lang ?? initialLang();
const t = (k: MessageKey) => translate(lang, k);

let view: MapView | undefined;
let draw: DrawTool | undefined;
let kinds: AreaKind[] = [];
let programme: Programme | undefined;
let allActivities: Activity[] = [];
let matchingActivities: Activity[] = [];
let siteCount = 0;
let loss: LossControl | undefined;
let lossBounds: [number, number, number, number] = [-180, -85, 180, 85];
let clientConfig: ClientConfig = { basemap: { type: 'natural-earth' }, siteBufferM: 5000 };
let databaseKind: 'embedded' | 'server' | undefined;
let status: { text: string; error: boolean } | undefined;
let matrixRows: 'priorityArea' | 'actionArea' = 'priorityArea';
const reviewState: ReviewState = { sort: 'rate_during_pct', order: 'desc', offset: 0, type: '', region: '', flagged: false };

const panelRoot = document.getElementById('panel')!;
const drawerRoot = document.getElementById('drawer')!;
const details = new DetailsPanel(document.getElementById('details')!, () => commit({ selection: undefined }, 'push'));

// ---------------------------------------------------------------- state and URL
function commit(patch: Partial<AppState>, history: 'push' | 'replace' = 'push'): void {
  const prev = state;
  state = { ...state, ...patch };
  for (const k of Object.keys(patch) as (keyof AppState)[]) if (patch[k] === undefined) delete state[k];
  const url = `${location.pathname}?${encodeState(state)}`;
  if (url !== `${location.pathname}${location.search}`) {
    if (history === 'push') window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  }
  apply(prev, state, false);
}

window.addEventListener('popstate', () => {
  const prev = state;
  state = decodeState(location.search);
  apply(prev, state, true);
});

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Brings the map and panels in line with `next`; `fromHistory` when the URL changed under us. */
function apply(prev: AppState, next: AppState, fromHistory: boolean): void {
  const nextLang = next.lang ?? lang;
  const langChanged = nextLang !== lang;
  lang = nextLang;
  if (langChanged) localStorage.setItem('atalaya.lang', lang);
  if (!view) return;
  const groups = new Set([...Object.keys(prev.hidden), ...Object.keys(next.hidden), ...Object.keys(prev.opacity), ...Object.keys(next.opacity), 'treecover']);
  for (const g of groups) {
    view.setVisible(g, isVisible(next, g));
    view.setOpacity(g, next.opacity[g] ?? 1);
  }
  if (loss && !same(prev.years, next.years)) {
    [loss.from, loss.to] = next.years ?? [loss.firstYear, loss.lastYear];
    view.setLoss(loss.layer, lossBounds, loss.from, loss.to, loss.treecover);
    details.setYears(lang, { from: loss.from, to: loss.to, colors: loss.colors });
  }
  if (fromHistory && next.view && !same(prev.view, next.view)) view.map.jumpTo({ center: [next.view.lng, next.view.lat], zoom: next.view.zoom });
  if (!same(prev.filter, next.filter)) void applyFilter(next.filter);
  if (langChanged || !same(prev.selection, next.selection)) openSelection(next.selection, !fromHistory && !langChanged);
  if (langChanged || fromHistory || prev.drawer !== next.drawer) renderDrawer();
  if (langChanged || fromHistory) renderChrome();
}

// ---------------------------------------------------------------- chrome: header, layer panel
function renderChrome(): void {
  document.documentElement.lang = lang;
  document.getElementById('subtitle')!.textContent = t('subtitle');
  const report = document.getElementById('report-link') as HTMLAnchorElement;
  report.textContent = t('progressReport');
  report.href = `/report?lang=${lang}`;
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  for (const b of document.querySelectorAll<HTMLButtonElement>('button[data-drawer]')) {
    b.textContent = t(b.dataset.drawer === 'activities' ? 'activities' : b.dataset.drawer === 'matrix' ? 'matrix' : 'review');
    b.setAttribute('aria-pressed', String(state.drawer === b.dataset.drawer));
  }
  document.getElementById('layers-toggle')!.setAttribute('aria-label', t('layers'));
  panelRoot.setAttribute('aria-label', t('layers'));
  document.getElementById('map')!.setAttribute('aria-label', t('mapLabel'));
  document.querySelector('.skip')!.textContent = t('skipToMap');
  renderDrawTools();
  renderAccount();
  refreshSearchLabels();
  renderLayerPanel(panelRoot, {
    lang,
    kinds,
    siteCount,
    ...(loss ? { loss } : {}),
    visible: (g) => isVisible(state, g),
    opacity: (g) => state.opacity[g] ?? 1,
    ...(databaseKind ? { databaseKind } : {}),
    ...(status ? { status } : {}),
    basemapNote: clientConfig.basemap.type === 'natural-earth' ? t('basemapNaturalEarth') : '',
  }, {
    onToggle: (group, visible) => commit({ hidden: { ...state.hidden, [group]: !visible } }),
    onOpacity: (group, opacity) => commit({ opacity: { ...state.opacity, [group]: opacity } }, 'replace'),
    onYears: (from, to) => commit({ years: [from, to] }, 'replace'),
  });
}

// ---------------------------------------------------------------- selection and the side panel
function subjectContext(): SubjectContext {
  return {
    lang,
    panel: details,
    ...(loss ? { years: { from: loss.from, to: loss.to, colors: loss.colors } } : {}),
    ...(loss?.treecover ? { treecover: loss.treecover } : {}),
    siteBufferKm: clientConfig.siteBufferM / 1000,
    kindLabel: (code) => kinds.find((k) => k.code === code)?.label[lang] ?? code,
    select: (s) => commit({ selection: s }),
  };
}

function fitTo(b: [number, number, number, number], maxZoom = 11): void {
  view?.map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 80, maxZoom, duration: 0 });
}

function openSelection(selection: Selection | undefined, moveMap: boolean): void {
  view?.highlightArea(selection?.type === 'area' ? selection : undefined);
  if (!selection) return details.close();
  const ctx = subjectContext();
  if (selection.type === 'area') showArea(ctx, selection.kind, selection.id);
  else if (selection.type === 'site') showSite(ctx, selection.id);
  else if (selection.type === 'activity') showActivity(ctx, selection.id, (bbox) => moveMap && fitTo(bbox));
  else if (selection.type === 'edit') openEditor(selection.id);
  else {
    const place = peruPlaces[selection.key as keyof typeof peruPlaces] as { name: string; at: [number, number] } | undefined;
    if (!place) return details.close();
    if (moveMap) view?.map.jumpTo({ center: place.at, zoom: Math.max(view.map.getZoom(), 9) });
    const radius = 10_000;
    showShape(ctx, place.name, t('place'), { type: 'Point', coordinates: place.at }, radius, [[t('coordinates'), `${place.at[1].toFixed(4)}, ${place.at[0].toFixed(4)}`]]);
  }
}

// ---------------------------------------------------------------- signed-in editing
async function openEditor(id: number | 'new'): Promise<void> {
  const user = currentUser();
  const { body, setTitle } = details.open(lang, t(id === 'new' ? 'newActivity' : 'editActivity'), user ? user.email : '');
  if (!user || !programme) {
    body.textContent = t('signIn');
    return;
  }
  const agencies = user.role === 'admin' ? (await fetchAgencies()).map((a) => a.code) : user.agencies;
  // The editing tools load when first used: the public never downloads them.
  const { renderActivityEditor } = await import('./panels/activity_editor');
  await renderActivityEditor(body, {
    lang,
    programme,
    user,
    agencies,
    draw: (mode, done) => void drawTool().then((d) => d?.start(mode, done)),
    changed: (activity) => {
      // The map shows published sites; lists and the URL follow the saved activity.
      void fetchSites({}).then((sites) => view?.setSites(sites));
      void fetchActivities({ limit: 10000 }).then((list) => (allActivities = list.activities));
      if (state.drawer === 'edit') renderDrawer();
      if (id === 'new') commit({ selection: { type: 'edit', id: activity.id } }, 'replace');
      else setTitle(`${activity.code} ${activity.title}`);
    },
  }, id === 'new' ? undefined : id).catch((e: Error) => (body.textContent = e.message));
}

function renderAccount(): void {
  const user = currentUser();
  const account = document.getElementById('account')!;
  account.textContent = user ? `${t('signOut')} (${user.email})` : t('signIn');
  const editButton = document.querySelector<HTMLButtonElement>('button[data-drawer="edit"]')!;
  editButton.hidden = !user;
  editButton.textContent = t('myActivities');
}

function pickSearchResult(r: SearchResult): void {
  if (r.type === 'place') return commit({ selection: { type: 'place', key: r.key } });
  fitTo(r.bbox, r.type === 'site' ? 13 : 11);
  commit({ selection: r.type === 'area' ? { type: 'area', kind: r.detail, id: r.id } : { type: r.type, id: r.id } });
}

// ---------------------------------------------------------------- activity filter, drawer
/** `f` is passed in: at start-up the state being applied is not yet the current one. */
async function applyFilter(f: AppState['filter']): Promise<void> {
  const list = hasFilter(f) ? (await fetchActivities({ ...f, limit: 10000 })).activities : allActivities;
  matchingActivities = list;
  view?.filterSites(hasFilter(f) ? new Set(list.map((a) => a.id)) : undefined);
  document.body.dataset.filteredActivities = String(list.length);
  if (state.drawer === 'activities') renderDrawer();
}

function renderDrawer(): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>('button[data-drawer]')) b.setAttribute('aria-pressed', String(state.drawer === b.dataset.drawer));
  drawerRoot.hidden = !state.drawer;
  drawerRoot.dataset.open = state.drawer ?? '';
  view?.map.resize();
  if (!state.drawer) return drawerRoot.replaceChildren();
  drawerRoot.setAttribute('aria-label', t(state.drawer === 'edit' ? 'myActivities' : state.drawer));
  if (state.drawer === 'activities' && programme) {
    renderActivityBrowser(drawerRoot, { lang, programme, all: allActivities, filter: state.filter, matching: matchingActivities }, (filter) => commit({ filter }), (id) => commit({ selection: { type: 'activity', id } }), () => {
      const box = view?.visibleSitesBounds();
      if (box) fitTo(box);
    });
  } else if (state.drawer === 'matrix') {
    const f = state.filter;
    void fetchMatrix({ rows: matrixRows, status: f.status, goal: f.goal, fundingStatus: f.fundingStatus }).then((m) => {
      if (state.drawer !== 'matrix') return;
      renderProgrammeMatrix(drawerRoot, lang, m, kinds, matrixRows, (rows) => {
        matrixRows = rows;
        renderDrawer();
      }, (row) => commit({ drawer: 'activities', filter: { ...state.filter, ...(row.length === 1 ? { priorityArea: row, actionArea: undefined } : { actionArea: row, priorityArea: row[0] }) } }));
    }).catch(() => undefined);
  } else if (state.drawer === 'edit') {
    if (!currentUser()) return drawerRoot.replaceChildren(t('signIn'));
    void Promise.all([myActivities(), import('./panels/my_activities')]).then(([list, { renderMyActivities }]) => state.drawer === 'edit' && renderMyActivities(drawerRoot, lang, list.activities, (id) => commit({ selection: { type: 'edit', id } })));
  } else if (state.drawer === 'review') {
    void renderConcessionTable(drawerRoot, lang, reviewState, (item) => {
      fitTo(item.bbox);
      commit({ selection: { type: 'area', kind: 'forest_concession', id: item.id } });
    });
  }
}

// ---------------------------------------------------------------- draw and upload
function renderDrawTools(): void {
  const root = document.getElementById('draw-tools')!;
  root.replaceChildren();
  root.setAttribute('aria-label', t('analyseHere'));
  const title = document.createElement('span');
  title.className = 'tools-title';
  title.textContent = t('analyseHere');
  root.append(title);
  const button = (label: string, mode: DrawMode) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.dataset.draw = mode;
    b.addEventListener('click', () => {
      void drawTool().then((d) => d?.start(mode));
      status = { text: t(mode === 'polygon' ? 'drawPolygonHint' : mode === 'linestring' ? 'drawLineHint' : 'drawPointHint'), error: false };
      renderChrome();
    });
    return b;
  };
  const upload = document.createElement('label');
  upload.className = 'upload';
  const file = document.createElement('input');
  file.type = 'file';
  file.accept = '.geojson,.json,application/geo+json,application/json';
  file.setAttribute('aria-label', t('uploadGeojson'));
  file.addEventListener('change', () => void uploadFile(file));
  upload.append(t('uploadGeojson'), file);
  root.append(button(t('drawPolygon'), 'polygon'), button(t('drawLine'), 'linestring'), button(t('drawPoint'), 'point'), upload);
}

async function drawTool(): Promise<DrawTool | undefined> {
  if (!view) return undefined;
  if (!draw) {
    const { DrawTool } = await import('./map/draw_tool');
    draw ??= new DrawTool(view.map, showDrawnShape);
  }
  return draw;
}

async function uploadFile(input: HTMLInputElement): Promise<void> {
  const f = input.files?.[0];
  input.value = '';
  if (!f) return;
  try {
    if (f.size > MAX_UPLOAD_BYTES) throw new UploadError('too_big');
    const geometry = geometryFromUpload(await f.text());
    (await drawTool())?.showUpload(geometry);
  } catch (e) {
    const code = e instanceof UploadError ? e.message : 'not_json';
    status = { text: `${f.name}: ${t(code === 'too_big' ? 'uploadTooBig' : code === 'not_lonlat' ? 'uploadNotLonLat' : code === 'no_geometry' ? 'uploadNoGeometry' : 'uploadNotJson')}`, error: true };
    renderChrome();
  }
}

function showDrawnShape(geometry: GeoJSON.Geometry, origin: 'drawn' | 'uploaded'): void {
  status = undefined;
  if (state.selection) commit({ selection: undefined });
  renderChrome();
  const buffered = !geometry.type.includes('Polygon');
  showShape(subjectContext(), t(origin === 'drawn' ? 'drawnShape' : 'uploadedShape'), buffered ? t('lossWithinBuffer').replace('{km}', String(clientConfig.siteBufferM / 1000)) : t('lossInside'), geometry, buffered ? clientConfig.siteBufferM : undefined,
    buffered ? [] : [[t('area'), `${Math.round(geodesicArea(geometry) / 10_000).toLocaleString(lang)} ha`]]);
}

// ---------------------------------------------------------------- start
for (const b of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) b.addEventListener('click', () => commit({ lang: b.dataset.lang as Lang }, 'replace'));
for (const b of document.querySelectorAll<HTMLButtonElement>('button[data-drawer]')) {
  b.addEventListener('click', () => commit({ drawer: state.drawer === b.dataset.drawer ? undefined : (b.dataset.drawer as AppState['drawer']) }));
}
document.getElementById('account')!.addEventListener('click', () => {
  if (currentUser()) {
    void signOut().then(() => {
      if (state.drawer === 'edit') commit({ drawer: undefined });
      if (state.selection?.type === 'edit') commit({ selection: undefined });
      renderChrome();
    });
  } else {
    void import('./panels/sign_in').then(({ openSignIn }) =>
      openSignIn(document.getElementById('sign-in') as HTMLDialogElement, lang, () => {
        renderChrome();
        commit({ drawer: 'edit' });
      }),
    );
  }
});
document.getElementById('layers-toggle')!.addEventListener('click', (e) => {
  const open = panelRoot.classList.toggle('collapsed') === false;
  (e.currentTarget as HTMLElement).setAttribute('aria-expanded', String(open));
  view?.map.resize();
});
// Tablets and phones start with the layer list folded away, so the map has the screen.
if (window.matchMedia('(max-width: 900px)').matches) {
  panelRoot.classList.add('collapsed');
  document.getElementById('layers-toggle')!.setAttribute('aria-expanded', 'false');
}
const refreshSearchLabels = setupSearchBox(document.getElementById('search-box')!, () => ({
  placeholder: t('searchPlaceholder'),
  noResults: t('noResults'),
  typeLabel: (r) => (r.type === 'area' ? kinds.find((k) => k.code === r.detail)?.label[lang] ?? r.detail : r.type === 'place' ? t('place') : r.type === 'site' ? `${t('site')} · ${r.detail}` : t('activity')),
  onPick: pickSearchResult,
}));

function lossControlOf(rasters: RasterLayer[]): LossControl | undefined {
  const layer = rasters.find((r) => r.kind === 'lossyear' && r.ready && r.legend);
  if (!layer?.legend) return undefined;
  lossBounds = layer.bounds;
  const years = layer.legend.entries.map((e) => e.year);
  const treecover = rasters.find((r) => r.kind === 'treecover' && r.ready)?.name;
  const [from, to] = state.years ?? [years[0]!, years.at(-1)!];
  return { layer: layer.name, ...(treecover ? { treecover } : {}), firstYear: years[0]!, lastYear: years.at(-1)!, from: Math.max(from, years[0]!), to: Math.min(to, years.at(-1)!), colors: layer.legend.entries.map((e) => e.color) };
}

async function start(): Promise<void> {
  status = { text: t('loading'), error: false };
  renderChrome();
  try {
    // Everything the first view needs, at once; the map is created as soon as its style is known.
    const [configAnswer, kindList, health, prog, activities, sites, rasters] = await Promise.all([
      fetch(apiPaths.clientConfig).then((r) => r.json()),
      fetchAreaKinds(),
      fetchHealth(),
      fetchProgramme(),
      fetchActivities({ limit: 10000 }),
      fetchSites({}),
      fetchRasterLayers(),
      refreshSession().catch(() => undefined),
    ]);
    clientConfig = clientConfigSchema.parse(configAnswer);
    const basemap = await basemapStyle(clientConfig.basemap, lang);
    const rank = (k: string) => (areaKindOrder.includes(k) ? areaKindOrder.indexOf(k) : areaKindOrder.length);
    kinds = [...kindList].sort((a, b) => rank(a.code) - rank(b.code));
    databaseKind = health.database.kind;
    programme = prog;
    allActivities = matchingActivities = activities.activities;
    const v = state.view;
    view = new MapView(document.getElementById('map')!, basemap.style as never, v ? { center: [v.lng, v.lat], zoom: v.zoom } : undefined, `${basemap.attribution} · Atalaya demo data (synthetic)`);
    await view.whenReady();
    loss = lossControlOf(rasters);
    for (const k of kinds) view.setAreaTiles(k.code);
    view.setSites(sites);
    siteCount = sites.numberMatched;
    if (loss) {
      if (loss.treecover) view.setTreecover(loss.treecover, lossBounds);
      view.setLoss(loss.layer, lossBounds, loss.from, loss.to, loss.treecover);
    }
    view.onFeatureClick((target) => {
      if (draw?.drawing || target.id === undefined) return;
      const kind = typeof target.properties.kind === 'string' ? target.properties.kind : '';
      commit({ selection: target.layer === 'area' ? { type: 'area', kind, id: target.id } : { type: 'site', id: target.id } });
    });
    view.map.on('moveend', () => {
      const c = view!.map.getCenter();
      commit({ view: { lng: c.lng, lat: c.lat, zoom: view!.map.getZoom() } }, 'replace');
    });
    // For the browser tests and for debugging from the console: the map, read-only by convention.
    (window as unknown as { atalayaMap: unknown }).atalayaMap = view.map;
    view.map.on('idle', () => {
      // Read by the browser tests: the map drew, and how many features it drew.
      document.body.dataset.renderedFeatures = String(view!.map.queryRenderedFeatures().length);
      if (!document.body.dataset.firstIdleMs) document.body.dataset.firstIdleMs = String(Math.round(performance.now())); // read by the client benchmark
      document.body.setAttribute('data-map-ready', 'true');
    });
    status = undefined;
    const initial = state;
    state = { hidden: {}, opacity: {}, filter: {} };
    apply(state, initial, true);
    state = initial;
    renderChrome();
    renderDrawer();
  } catch (err) {
    status = { text: `${t('loadFailed')} ${(err as Error).message}`, error: true };
    renderChrome();
  }
}

void start();
