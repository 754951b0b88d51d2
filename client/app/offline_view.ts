// The offline-areas drawer wired to the app: the selection it may take, the map's view, and the
// stored packages it shows on the map (read from the device, never from the network).
import { packageArchive, packageJson, type StoredPackage } from '../offline/package_store';
import { renderOfflinePackages } from '../panels/offline_packages';
import type { App } from './app';

/** Packages on the map now, by id: the drawer's buttons say "hide" for these. */
const shown = new Set<number>();

interface PackageContent {
  outline: GeoJSON.Geometry;
  package: { bounds: [number, number, number, number]; layers: string[] };
  loss: { first_year: number; last_year: number } | null;
}

async function show(app: App, s: StoredPackage): Promise<void> {
  if (!app.view) return;
  const [archive, content] = await Promise.all([packageArchive(s.package.id), packageJson<PackageContent>(s.package.id)]);
  const kinds = content.package.layers.filter((l) => !['loss', 'alerts', 'sites'].includes(l));
  app.view.showPackage(s.package.id, archive, { kinds, lossYears: content.loss ? [content.loss.first_year, content.loss.last_year] : null, outline: content.outline, bounds: content.package.bounds });
  shown.add(s.package.id);
  document.body.dataset.packagesShown = [...shown].join(','); // read by the browser tests
}

function hide(app: App, id: number): void {
  app.view?.hidePackage(id);
  shown.delete(id);
  document.body.dataset.packagesShown = [...shown].join(',');
}

export async function renderOfflineDrawer(app: App, root: HTMLElement): Promise<void> {
  const sel = app.state.get().selection;
  const selection = sel && (sel.type === 'area' || sel.type === 'activity' || sel.type === 'site') ? { subject: sel.type, id: sel.id } : undefined;
  await renderOfflinePackages(root, app.lang, {
    selection,
    viewBounds: () => app.view?.viewBounds(),
    shown,
    show: (s) => show(app, s),
    hide: (id) => hide(app, id),
    stillOpen: () => app.state.get().drawer === 'offline',
  });
}
