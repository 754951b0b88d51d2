// The chrome around the map: header texts in the current language, the account button, the
// "analyse here" tools and the layer list.
import { renderLayerPanel } from '../panels/layer_panel';
import { currentUser } from '../api/session';
import { reportUrl } from '../api/client';
import { isVisible } from '../state/app_state';
import type { App } from './app';
import { renderDrawTools } from './draw_controls';
import { alertWindow } from '../layers/alert_layers';

export function renderChrome(app: App, refreshSearchLabels: () => void): void {
  const { t, lang } = app;
  const state = app.state.get();
  const data = app.data.get();
  document.documentElement.lang = lang;
  document.getElementById('subtitle')!.textContent = t('subtitle');
  document.querySelector<HTMLElement>('.brand')!.title = t('subtitle');
  const report = document.getElementById('report-link') as HTMLAnchorElement;
  report.textContent = t('progressReport');
  report.href = reportUrl(lang, data.loss?.layer);
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  for (const b of document.querySelectorAll<HTMLButtonElement>('button[data-drawer]')) {
    b.textContent = t(b.dataset.drawer === 'activities' ? 'activities' : b.dataset.drawer === 'matrix' ? 'matrix' : b.dataset.drawer === 'offline' ? 'offlineAreas' : 'review');
    b.setAttribute('aria-pressed', String(state.drawer === b.dataset.drawer));
  }
  const panelRoot = document.getElementById('panel')!;
  document.getElementById('layers-toggle')!.setAttribute('aria-label', t('layers'));
  panelRoot.setAttribute('aria-label', t('layers'));
  document.getElementById('map')!.setAttribute('aria-label', t('mapLabel'));
  document.querySelector('.skip')!.textContent = t('skipToMap');
  renderDrawTools(app);
  renderAccount(app);
  refreshSearchLabels();
  renderLayerPanel(panelRoot, {
    lang,
    kinds: data.kinds,
    contextLayers: data.contextLayers,
    siteCount: data.siteCount,
    ...(data.loss ? { loss: data.loss } : {}),
    ...(data.alertLayer || data.vectorAlertLayers.length ? { alerts: { layer: data.alertLayer, vector: data.vectorAlertLayers, view: state.alerts, window: alertWindow(data.alertLayer ?? { name: '' }, state.alerts) } } : {}),
    visible: (g) => isVisible(app.state.get(), g),
    opacity: (g) => app.state.get().opacity[g] ?? 1,
    ...(data.databaseKind ? { databaseKind: data.databaseKind } : {}),
    ...(data.status ? { status: data.status } : {}),
    basemapNote: data.clientConfig.basemap.type === 'natural-earth' ? t('basemapNaturalEarth') : '',
  }, {
    onToggle: (group, visible) => app.commit({ hidden: { ...app.state.get().hidden, [group]: !visible } }),
    onOpacity: (group, opacity) => app.commit({ opacity: { ...app.state.get().opacity, [group]: opacity } }, 'replace'),
    onYears: (from, to) => app.commit({ years: [from, to] }, 'replace'),
    // A different layer has other years: the range starts over as the whole of the new layer's.
    onLossLayer: (name) => app.commit({ lossLayer: name, years: undefined }),
    onAlerts: (view) => app.commit({ alerts: view }, 'replace'),
  });
}

function renderAccount(app: App): void {
  const user = currentUser();
  const account = document.getElementById('account')!;
  account.textContent = user ? `${app.t('signOut')} (${user.email})` : app.t('signIn');
  const editButton = document.querySelector<HTMLButtonElement>('button[data-drawer="edit"]')!;
  editButton.hidden = !user;
  editButton.textContent = app.t('myActivities');
  const subscriptionsButton = document.querySelector<HTMLButtonElement>('button[data-drawer="subscriptions"]')!;
  subscriptionsButton.hidden = !user;
  subscriptionsButton.textContent = app.t('subscriptions');
}
