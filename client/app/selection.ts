// What the side panel shows for the selection in the URL: an area, a site, an activity, a place,
// or the editor of an activity; search results become selections.
import { peruPlaces } from '@atalaya/api';
import { fetchAgencies, fetchActivities, fetchSites } from '../api/client';
import { currentUser } from '../api/session';
import type { SearchResult } from '../panels/search_box';
import { showActivity, showArea, showShape, showSite } from '../panels/subject_details';
import type { Selection } from '../state/app_state';
import type { App } from './app';
import { drawTool } from './draw_controls';
import { renderDrawer } from './drawer';
import { subjectContext } from './subject_context';

/** Opens the panel for `selection` (closes it for none); `moveMap` when the user asked, not on back/forward. */
export function openSelection(app: App, selection: Selection | undefined, moveMap: boolean): void {
  app.view?.highlightArea(selection?.type === 'area' ? selection : undefined);
  app.view?.setTrendZones(undefined); // a site or an activity draws its own when its trend arrives
  if (!selection) return app.details.close();
  const ctx = subjectContext(app);
  if (selection.type === 'area') showArea(ctx, selection.kind, selection.id);
  else if (selection.type === 'site') showSite(ctx, selection.id);
  else if (selection.type === 'activity') showActivity(ctx, selection.id, (bbox) => moveMap && app.view?.fitBounds(bbox));
  else if (selection.type === 'edit') void openEditor(app, selection.id);
  else {
    const place = peruPlaces[selection.key as keyof typeof peruPlaces] as { name: string; at: [number, number] } | undefined;
    if (!place) return app.details.close();
    if (moveMap) app.view?.centreOn(place.at, 9);
    const radius = 10_000;
    showShape(ctx, place.name, app.t('place'), { type: 'Point', coordinates: place.at }, radius, [[app.t('coordinates'), `${place.at[1].toFixed(4)}, ${place.at[0].toFixed(4)}`]]);
  }
}

/** The editing panel of an activity (signed-in editors), or of a new one. */
async function openEditor(app: App, id: number | 'new'): Promise<void> {
  const { t, lang } = app;
  const user = currentUser();
  const { programme } = app.data.get();
  const { body, setTitle } = app.details.open(lang, t(id === 'new' ? 'newActivity' : 'editActivity'), user ? user.email : '');
  if (!user || !programme) {
    body.textContent = t('signIn');
    return;
  }
  const agencies = user.role === 'admin' ? (await fetchAgencies()).map((a) => a.code) : user.agencies;
  // The editing tools load when first used: the public never downloads them.
  const { renderActivityEditor } = await import('../panels/activity_editor');
  await renderActivityEditor(body, {
    lang,
    programme,
    user,
    agencies,
    draw: (mode, done) => void drawTool(app)?.then((d) => d.start(mode, done)),
    changed: (activity) => {
      // The map shows published sites; lists and the URL follow the saved activity.
      void fetchSites({}).then((sites) => app.view?.setSites(sites));
      void fetchActivities({ limit: 10000 }).then((list) => app.data.update({ allActivities: list.activities }, undefined));
      if (app.state.get().drawer === 'edit') renderDrawer(app);
      if (id === 'new') app.commit({ selection: { type: 'edit', id: activity.id } }, 'replace');
      else setTitle(`${activity.code} ${activity.title}`);
    },
  }, id === 'new' ? undefined : id).catch((e: Error) => (body.textContent = e.message));
}

export function pickSearchResult(app: App, r: SearchResult): void {
  if (r.type === 'place') return app.commit({ selection: { type: 'place', key: r.key } });
  app.view?.fitBounds(r.bbox, r.type === 'site' ? 13 : 11);
  app.commit({ selection: r.type === 'area' ? { type: 'area', kind: r.detail, id: r.id } : { type: r.type, id: r.id } });
}
