// The offline-areas drawer wired to the app: the selection it may take, the map's view, the stored
// packages it shows on the map (read from the device, never from the network), and the field
// reports made on them (a tap on a package's alert or site opens the report form in the drawer).
import { packageArchive, packageJson, type StoredPackage } from '../offline/package_store';
import { onQueueChange } from '../offline/report_queue';
import { renderOfflinePackages } from '../panels/offline_packages';
import { renderFieldReports } from '../panels/field_reports_list';
import { renderReportForm, type PackageAlert, type PackageIndicator, type PackageSite, type ReportSubject } from '../panels/field_report_form';
import type { App } from './app';
import { drawTool } from './draw_controls';
import { renderDrawer } from './drawer';

/** Packages on the map now, by id: the drawer's buttons say "hide" for these. */
const shown = new Set<number>();
/** What the shown packages hold for reports: their alerts, sites and activities' indicators. */
const contents = new Map<number, PackageContent>();
/** The report being made, while its form is open. */
let reporting: ReportSubject | undefined;

interface PackageContent {
  outline: GeoJSON.Geometry;
  package: { bounds: [number, number, number, number]; layers: string[] };
  loss: { first_year: number; last_year: number } | null;
  alerts: { points: PackageAlert[] } | null;
  sites: { items: (PackageSite & { lon: number; lat: number })[] };
  activities: { id: number; indicators: PackageIndicator[] }[];
}

async function show(app: App, s: StoredPackage): Promise<void> {
  if (!app.view) return;
  const [archive, content] = await Promise.all([packageArchive(s.package.id), packageJson<PackageContent>(s.package.id)]);
  const kinds = content.package.layers.filter((l) => !['loss', 'alerts', 'sites', 'basemap'].includes(l));
  const basemap = content.package.layers.includes('basemap');
  await app.view.showPackage(s.package.id, archive, { kinds, lossYears: content.loss ? [content.loss.first_year, content.loss.last_year] : null, basemap, outline: content.outline, bounds: content.package.bounds }, app.lang);
  shown.add(s.package.id);
  contents.set(s.package.id, content);
  listenForTaps(app);
  document.body.dataset.packagesShown = [...shown].join(','); // read by the browser tests
}

function hide(app: App, id: number): void {
  app.view?.hidePackage(id);
  shown.delete(id);
  contents.delete(id);
  document.body.dataset.packagesShown = [...shown].join(',');
}

/** A tap within this many pixels of an alert or a site reports on it (a fingertip is about 40 px). */
const TAP_PX = 24;

let listening = false;
function listenForTaps(app: App): void {
  if (listening || !app.view) return;
  listening = true;
  app.view.onMapClick((_at, point) => {
    const view = app.view!;
    let best: { d: number; subject: ReportSubject } | undefined;
    const consider = (lng: number, lat: number, subject: () => ReportSubject) => {
      const p = view.screenPoint(lng, lat);
      const d = Math.hypot(p.x - point.x, p.y - point.y);
      if (d <= TAP_PX && (!best || d < best.d)) best = { d, subject: subject() };
    };
    for (const c of contents.values()) {
      for (const a of c.alerts?.points ?? []) consider(a.lon, a.lat, () => ({ kind: 'alert', alert: a }));
      for (const s of c.sites.items) consider(s.lon, s.lat, () => ({ kind: 'visit', site: s, indicators: c.activities.find((x) => x.id === s.activity_id)?.indicators ?? [] }));
    }
    if (!best) return;
    reporting = best.subject;
    if (app.state.get().drawer === 'offline') renderDrawer(app);
    else app.commit({ drawer: 'offline' });
  });
}

let unsubscribe: (() => void) | undefined;

export async function renderOfflineDrawer(app: App, root: HTMLElement): Promise<void> {
  const stillOpen = () => app.state.get().drawer === 'offline';
  unsubscribe?.();
  unsubscribe = undefined;
  if (reporting) {
    const subject = reporting;
    renderReportForm(root, app.lang, subject, {
      accuracyLimitM: app.data.get().clientConfig.fieldAccuracyLimitM,
      drawOutline: async (done) => (await drawTool(app))?.start('polygon', (g) => done(g as GeoJSON.Polygon)),
      clearOutline: () => void drawTool(app)?.then((d) => d.clear()),
      close: () => {
        reporting = undefined;
        if (stillOpen()) void renderOfflineDrawer(app, root);
      },
    });
    return;
  }
  const sel = app.state.get().selection;
  const selection = sel && (sel.type === 'area' || sel.type === 'activity' || sel.type === 'site') ? { subject: sel.type, id: sel.id } : undefined;
  const packages = document.createElement('div');
  const reports = document.createElement('div');
  root.replaceChildren(packages, reports);
  const drawReports = () => void (stillOpen() && reports.isConnected ? renderFieldReports(reports, app.lang, drawReports) : undefined);
  unsubscribe = onQueueChange(drawReports);
  await Promise.all([
    renderOfflinePackages(packages, app.lang, {
      selection,
      viewBounds: () => app.view?.viewBounds(),
      shown,
      show: (s) => show(app, s),
      hide: (id) => hide(app, id),
      stillOpen,
    }),
    renderFieldReports(reports, app.lang, drawReports),
  ]);
}
