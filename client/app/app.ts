// What every part of the app shares: the URL state and the loaded data (two stores), the map view
// (once built), the details panel, and the current language. Parts read these and change them only
// through the stores' update, so the URL, the map and the panels follow one source.
import type { Activity, AlertLayer, AreaKind, ClientConfig, ContextLayer, Programme, RasterLayer, VectorAlertLayer } from '@atalaya/api';
import type { MapView } from '../map/map_view';
import type { DetailsPanel } from '../panels/details_panel';
import type { LossControl } from '../panels/layer_panel';
import type { ReviewState } from '../panels/concession_table';
import { translate, type Lang, type MessageKey } from '../i18n';
import type { AppState } from '../state/app_state';
import { Store } from '../state/store';
import type { StateChange } from '../state/url_sync';

/** What the server told us, and the app's own status line: not in the URL. */
export interface AppData {
  lang: Lang;
  kinds: AreaKind[];
  /** Points of other cooperation projects, shown beside the programme's sites. */
  contextLayers: ContextLayer[];
  programme?: Programme;
  allActivities: Activity[];
  matchingActivities: Activity[];
  /** Undefined until the sites are loaded: no count is shown rather than 0. */
  siteCount: number | undefined;
  /** Every registered raster layer (GET /api/rasters), for the loss layer picker. */
  rasters: RasterLayer[];
  loss?: LossControl;
  /** The alert layer shown (the newest registered), if any. */
  alertLayer?: AlertLayer;
  /** Layers of alerts published as points or polygons (GeoBosques). */
  vectorAlertLayers: VectorAlertLayer[];
  lossBounds: [number, number, number, number];
  clientConfig: ClientConfig;
  databaseKind?: 'embedded' | 'server';
  status?: { text: string; error: boolean };
  matrixRows: 'priorityArea' | 'actionArea';
  /** The concession table's sort, filters and page (the table changes it in place as the user clicks). */
  review: ReviewState;
}

export class App {
  readonly state: Store<AppState, StateChange>;
  readonly data: Store<AppData>;
  view: MapView | undefined;

  constructor(
    initial: AppState,
    lang: Lang,
    readonly details: DetailsPanel,
  ) {
    this.state = new Store<AppState, StateChange>(initial);
    this.data = new Store<AppData>({
      lang,
      kinds: [],
      contextLayers: [],
      vectorAlertLayers: [],
      allActivities: [],
      matchingActivities: [],
      siteCount: undefined,
      rasters: [],
      lossBounds: [-180, -85, 180, 85],
      clientConfig: { basemap: { type: 'natural-earth' }, siteBufferM: 5000, fieldAccuracyLimitM: 50 },
      matrixRows: 'priorityArea',
      review: { sort: 'rate_during_pct', order: 'desc', offset: 0, type: '', region: '', flagged: false },
    });
  }

  get lang(): Lang {
    return this.data.get().lang;
  }

  t = (k: MessageKey): string => translate(this.lang, k);

  /** A user's change of what is shown: recorded in the URL ('push' adds a back-button step). */
  commit(patch: Partial<AppState>, history: 'push' | 'replace' = 'push'): void {
    this.state.update(patch, history);
  }

  /** Sets (or clears) the status line under the layer list. */
  setStatus(status: AppData['status']): void {
    this.data.update({ status }, undefined);
  }
}
