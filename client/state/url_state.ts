// The app state as a query string and back (pure, unit-tested). Short and readable, like OSM's
// `map=zoom/lat/lon`, so a shared link says what it shows.
import { emptyState, filterKeys, type AppState, type Drawer, type Selection } from './app_state';

const drawers: Drawer[] = ['activities', 'matrix', 'review', 'edit', 'subscriptions', 'offline'];
const round = (v: number, digits: number) => Number(v.toFixed(digits));

export function encodeState(state: AppState): string {
  const q = new URLSearchParams();
  if (state.view) q.set('map', `${round(state.view.zoom, 2)}/${round(state.view.lat, 5)}/${round(state.view.lng, 5)}`);
  const hidden = Object.entries(state.hidden).filter(([, h]) => h).map(([g]) => g).sort();
  const shown = Object.entries(state.hidden).filter(([, h]) => !h).map(([g]) => g).sort();
  if (hidden.length) q.set('hide', hidden.join(','));
  if (shown.length) q.set('show', shown.join(','));
  const opacity = Object.entries(state.opacity).filter(([, o]) => o !== 1).sort(([a], [b]) => a.localeCompare(b));
  if (opacity.length) q.set('opacity', opacity.map(([g, o]) => `${g}:${round(o, 2)}`).join(','));
  if (state.years) q.set('years', `${state.years[0]}-${state.years[1]}`);
  if (state.lossLayer) q.set('loss', state.lossLayer);
  const al = state.alerts;
  if (al?.from && al.to) q.set('alerts', `${al.from}..${al.to}`);
  else if (al?.days) q.set('alerts', String(al.days));
  if (al?.confidence) q.set('alertconf', al.confidence.join(','));
  for (const k of filterKeys) {
    const v = state.filter[k];
    if (v) q.set(k, v);
  }
  const s = state.selection;
  if (s) q.set('sel', s.type === 'area' ? `area:${s.kind}:${s.id}` : s.type === 'place' ? `place:${s.key}` : `${s.type}:${s.id}`);
  if (state.drawer) q.set('panel', state.drawer);
  if (state.lang) q.set('lang', state.lang);
  return q.toString().replace(/%2C/g, ',').replace(/%2F/g, '/').replace(/%3A/g, ':');
}

function parseSelection(text: string | null): Selection | undefined {
  if (!text) return undefined;
  const [type, a, b] = text.split(':');
  const id = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  if (type === 'area' && a && /^[a-z][a-z0-9_]*$/.test(a) && id(b)) return { type, kind: a, id: id(b)! };
  if ((type === 'site' || type === 'activity') && id(a)) return { type, id: id(a)! };
  if (type === 'place' && a && /^[A-Za-z]+$/.test(a)) return { type, key: a };
  if (type === 'edit' && (a === 'new' || id(a))) return { type, id: a === 'new' ? 'new' : id(a)! };
  return undefined;
}

/** Reads what it understands and ignores the rest: a hand-edited or old link still opens. */
export function decodeState(search: string): AppState {
  const q = new URLSearchParams(search);
  const state = emptyState();
  const map = q.get('map')?.split('/').map(Number);
  if (map?.length === 3 && map.every(Number.isFinite) && Math.abs(map[1]!) <= 85 && Math.abs(map[2]!) <= 180 && map[0]! >= 0 && map[0]! <= 24) {
    state.view = { zoom: map[0]!, lat: map[1]!, lng: map[2]! };
  }
  for (const g of q.get('hide')?.split(',') ?? []) if (g) state.hidden[g] = true;
  for (const g of q.get('show')?.split(',') ?? []) if (g) state.hidden[g] = false;
  for (const pair of q.get('opacity')?.split(',') ?? []) {
    const [g, o] = pair.split(':');
    const v = Number(o);
    if (g && Number.isFinite(v) && v >= 0 && v <= 1) state.opacity[g] = v;
  }
  const years = /^(\d{4})-(\d{4})$/.exec(q.get('years') ?? '');
  if (years && Number(years[1]) <= Number(years[2])) state.years = [Number(years[1]), Number(years[2])];
  const alertRange = q.get('alerts') ?? '';
  const dates = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(alertRange);
  const alerts: NonNullable<AppState['alerts']> = {};
  if (dates && dates[1]! <= dates[2]!) Object.assign(alerts, { from: dates[1], to: dates[2] });
  else if (['7', '30', '90'].includes(alertRange)) alerts.days = Number(alertRange) as 7 | 30 | 90;
  const conf = (q.get('alertconf') ?? '').split(',').filter((c): c is 'low' | 'high' | 'highest' => c === 'low' || c === 'high' || c === 'highest');
  if (conf.length) alerts.confidence = conf;
  if (Object.keys(alerts).length) state.alerts = alerts;
  const lossLayer = q.get('loss');
  if (lossLayer && /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(lossLayer)) state.lossLayer = lossLayer;
  for (const k of filterKeys) {
    const v = q.get(k);
    if (v) state.filter[k] = v.slice(0, 200);
  }
  const selection = parseSelection(q.get('sel'));
  if (selection) state.selection = selection;
  const drawer = q.get('panel') as Drawer | null;
  if (drawer && drawers.includes(drawer)) state.drawer = drawer;
  const lang = q.get('lang');
  if (lang === 'en' || lang === 'es') state.lang = lang;
  return state;
}
