// What the user is looking at, in one plain object: everything the URL carries, so any view can be
// shared and the browser's back button steps through selections, filters and layer changes.
export interface ViewState {
  lng: number;
  lat: number;
  zoom: number;
}

/** Filters of the activity browser; the map shows only the sites of matching activities. */
export interface ActivityFilter {
  goal?: string;
  priorityArea?: string;
  actionArea?: string;
  status?: string;
  leadAgency?: string;
  fundingStatus?: string;
  q?: string;
}
export const filterKeys = ['goal', 'priorityArea', 'actionArea', 'status', 'leadAgency', 'fundingStatus', 'q'] as const;

export type Selection =
  | { type: 'area'; kind: string; id: number }
  | { type: 'site'; id: number }
  | { type: 'activity'; id: number }
  | { type: 'place'; key: string }
  /** The editing panel of an activity (signed-in editors), or of a new one. */
  | { type: 'edit'; id: number | 'new' };

export type AlertView = { days?: 7 | 30 | 90; from?: string; to?: string; confidence?: ('low' | 'high' | 'highest')[] };

export type Drawer = 'activities' | 'matrix' | 'review' | 'edit' | 'subscriptions' | 'offline';

export interface AppState {
  view?: ViewState;
  /** Hidden layer groups (area kinds, sites, loss, treecover); absent = the group's default. */
  hidden: Record<string, boolean>;
  /** Opacity per layer group, 0..1; absent = 1. */
  opacity: Record<string, number>;
  years?: [number, number];
  /** The loss layer (by name) the map, the panels, the review and the report use; absent = the server's default. */
  lossLayer?: string;
  /** The alerts shown: the last 7, 30 or 90 days (absent = 30), or two dates; and the confidences (absent = all). */
  alerts?: AlertView;
  filter: ActivityFilter;
  selection?: Selection;
  drawer?: Drawer;
  lang?: 'en' | 'es';
}

/** Layer groups off until the user turns them on. */
export const hiddenByDefault: Record<string, boolean> = { treecover: true, province: true };

export function isVisible(state: AppState, group: string): boolean {
  return !(state.hidden[group] ?? hiddenByDefault[group] ?? false);
}

export function emptyState(): AppState {
  return { hidden: {}, opacity: {}, filter: {} };
}

export function hasFilter(filter: ActivityFilter): boolean {
  return filterKeys.some((k) => filter[k] !== undefined && filter[k] !== '');
}
