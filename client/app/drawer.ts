// The drawer under the map: the activity browser, the programme matrix, the concession review, or
// the signed-in user's activities.
import { apiPaths } from '@atalaya/api';
import { csvUrl, fetchActivities, fetchMatrix } from '../api/client';
import { currentUser, myActivities } from '../api/session';
import { renderActivityBrowser } from '../panels/activity_browser';
import { renderConcessionTable } from '../panels/concession_table';
import { renderProgrammeMatrix } from '../panels/programme_matrix';
import { hasFilter, type AppState } from '../state/app_state';
import type { App } from './app';

const drawerRoot = () => document.getElementById('drawer')!;

export function renderDrawer(app: App): void {
  const { t, lang } = app;
  const state = app.state.get();
  const data = app.data.get();
  const root = drawerRoot();
  for (const b of document.querySelectorAll<HTMLButtonElement>('button[data-drawer]')) b.setAttribute('aria-pressed', String(state.drawer === b.dataset.drawer));
  root.hidden = !state.drawer;
  root.dataset.open = state.drawer ?? '';
  // On a phone an open drawer takes the place of the details panel (the CSS hides it meanwhile).
  document.body.dataset.drawer = state.drawer ?? '';
  app.view?.resize();
  if (!state.drawer) return root.replaceChildren();
  root.setAttribute('aria-label', t(state.drawer === 'edit' ? 'myActivities' : state.drawer === 'offline' ? 'offlineAreas' : state.drawer));
  if (state.drawer === 'activities' && data.programme) {
    renderActivityBrowser(root, { lang, programme: data.programme, all: data.allActivities, filter: state.filter, matching: data.matchingActivities }, (filter) => app.commit({ filter }), (id) => app.commit({ selection: { type: 'activity', id } }), () => {
      const box = app.view?.visibleSitesBounds();
      if (box) app.view?.fitBounds(box);
    });
  } else if (state.drawer === 'matrix') {
    const f = state.filter;
    void fetchMatrix({ rows: data.matrixRows, status: f.status, goal: f.goal, fundingStatus: f.fundingStatus }).then((m) => {
      if (app.state.get().drawer !== 'matrix') return;
      renderProgrammeMatrix(root, lang, m, data.kinds, data.matrixRows, (rows) => {
        app.data.update({ matrixRows: rows }, undefined);
        renderDrawer(app);
      }, (row) => app.commit({ drawer: 'activities', filter: { ...app.state.get().filter, ...(row.length === 1 ? { priorityArea: row, actionArea: undefined } : { actionArea: row, priorityArea: row[0] }) } }),
      csvUrl(apiPaths.matrix, { rows: data.matrixRows, status: f.status, goal: f.goal, fundingStatus: f.fundingStatus }));
    }).catch(() => undefined);
  } else if (state.drawer === 'edit') {
    if (!currentUser()) return root.replaceChildren(t('signIn'));
    const stillEditing = () => app.state.get().drawer === 'edit';
    void Promise.all([myActivities(), import('../panels/my_activities'), import('../panels/report_review')]).then(([list, { renderMyActivities }, { renderReportReview }]) => {
      if (!stillEditing()) return;
      renderMyActivities(root, lang, list.activities, (id) => app.commit({ selection: { type: 'edit', id } }));
      // Below the activities: the field reports of the editor's agencies waiting for a supervisor.
      const reviews = document.createElement('div');
      root.append(reviews);
      void renderReportReview(reviews, lang, stillEditing).catch(() => undefined);
    });
  } else if (state.drawer === 'subscriptions') {
    if (!currentUser()) return root.replaceChildren(t('followSignIn'));
    void import('../panels/alert_subscriptions').then(({ renderAlertSubscriptions }) => renderAlertSubscriptions(root, lang, () => app.state.get().drawer === 'subscriptions')).catch(() => undefined);
  } else if (state.drawer === 'offline') {
    void import('./offline_view').then(({ renderOfflineDrawer }) => renderOfflineDrawer(app, root)).catch(() => undefined);
  } else if (state.drawer === 'review') {
    // The review follows the loss layer picked in the layer list.
    data.review.layer = data.loss?.layer;
    void renderConcessionTable(root, lang, data.review, (item) => {
      app.view?.fitBounds(item.bbox);
      app.commit({ selection: { type: 'area', kind: 'forest_concession', id: item.id } });
    });
  }
}

/** Applies the activity filter: the matching activities' sites on the map, the browser's list. `f` is passed in: at start-up it is not yet the current state's. */
export async function applyFilter(app: App, f: AppState['filter']): Promise<void> {
  const list = hasFilter(f) ? (await fetchActivities({ ...f, limit: 10000 })).activities : app.data.get().allActivities;
  app.data.update({ matchingActivities: list }, undefined);
  app.view?.filterSites(hasFilter(f) ? new Set(list.map((a) => a.id)) : undefined);
  document.body.dataset.filteredActivities = String(list.length);
  if (app.state.get().drawer === 'activities') renderDrawer(app);
}
