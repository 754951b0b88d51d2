// The address bar and the app state kept in step: every change writes the URL (a new history entry
// or a replaced one), and the back and forward buttons read it back into the store.
import type { AppState } from './app_state';
import type { Store } from './store';
import { decodeState, encodeState } from './url_state';

/** Why the state changed: a user action that adds a history entry, one that replaces it, or the back/forward buttons. */
export type StateChange = 'push' | 'replace' | 'history';

export function syncWithUrl(store: Store<AppState, StateChange>): void {
  store.subscribe((next, _prev, why) => {
    if (why === 'history') return;
    const url = `${location.pathname}?${encodeState(next)}`;
    if (url === `${location.pathname}${location.search}`) return;
    if (why === 'push') window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  });
  window.addEventListener('popstate', () => store.replace(decodeState(location.search), 'history'));
}
