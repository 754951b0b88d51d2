// Brings the map and the panels in line with a new app state: each part is touched only when what
// it shows changed, so a slider drag does not rebuild the panel under the pointer.
import { hiddenByDefault, isVisible, type AppState } from '../state/app_state';
import type { App } from './app';
import { applyFilter, renderDrawer } from './drawer';
import { openSelection } from './selection';
import { lossControlOf } from './loss_layer_choice';
import { alertWindow } from '../layers/alert_layers';
import { alertTileUrl, vectorAlertItemsUrl } from '../api/alerts';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** `fromHistory` when the URL changed under us (back/forward, or the first state at start). */
export function applyState(app: App, prev: AppState, next: AppState, fromHistory: boolean, renderChrome: () => void): void {
  const lang = next.lang ?? app.lang;
  const langChanged = lang !== app.lang;
  if (langChanged) {
    localStorage.setItem('atalaya.lang', lang);
    app.data.update({ lang }, undefined);
  }
  const view = app.view;
  if (!view) return;
  // Groups off by default (tree cover, provinces) are set on the first state too.
  const groups = new Set([...Object.keys(prev.hidden), ...Object.keys(next.hidden), ...Object.keys(prev.opacity), ...Object.keys(next.opacity), ...Object.keys(hiddenByDefault)]);
  for (const g of groups) {
    view.setVisible(g, isVisible(next, g));
    view.setOpacity(g, next.opacity[g] ?? 1);
  }
  if (prev.lossLayer !== next.lossLayer) switchLossLayer(app, next);
  const { loss, lossBounds } = app.data.get();
  if (loss && !same(prev.years, next.years)) {
    const [from, to] = next.years ?? [loss.firstYear, loss.lastYear];
    app.data.update({ loss: { ...loss, from, to } }, undefined);
    view.setLoss(loss.layer, lossBounds, from, to, loss.treecover);
    app.details.setYears(app.lang, { from, to, first: loss.firstYear, colors: loss.colors });
  }
  const alertsChanged = !same(prev.alerts, next.alerts);
  const { alertLayer } = app.data.get();
  if (alertLayer && (alertsChanged || fromHistory)) view.setAlerts(alertLayer.name, alertLayer.bounds, alertTileUrl(alertWindow(alertLayer, next.alerts)));
  if (alertsChanged || fromHistory) for (const v of app.data.get().vectorAlertLayers) view.setVectorAlerts(v.name, vectorAlertItemsUrl(v, alertWindow(v, next.alerts)));
  if (fromHistory && next.view && !same(prev.view, next.view)) view.jumpTo(next.view);
  if (!same(prev.filter, next.filter)) void applyFilter(app, next.filter);
  const layerChanged = prev.lossLayer !== next.lossLayer;
  // A new loss layer changes every figure shown: the open subject's, the review's, the report link's.
  // New alert dates change the open subject's alert figures too.
  if (langChanged || layerChanged || alertsChanged || !same(prev.selection, next.selection)) openSelection(app, next.selection, !fromHistory && !langChanged && !layerChanged && !alertsChanged);
  if (langChanged || fromHistory || layerChanged || prev.drawer !== next.drawer) renderDrawer(app);
  if ((fromHistory && !langChanged) || layerChanged || alertsChanged) renderChrome();
}

/** Puts the picked loss layer (and its tree cover partner) on the map and in the app's data. */
function switchLossLayer(app: App, next: AppState): void {
  const control = lossControlOf(app.data.get().rasters, next.lossLayer, next.years);
  if (!control || !app.view) return;
  const { loss, bounds } = control;
  app.data.update({ loss, lossBounds: bounds }, undefined);
  app.view.setTreecover(loss.treecover, bounds);
  app.view.setLoss(loss.layer, bounds, loss.from, loss.to, loss.treecover);
  app.details.setYears(app.lang, { from: loss.from, to: loss.to, first: loss.firstYear, colors: loss.colors });
}
