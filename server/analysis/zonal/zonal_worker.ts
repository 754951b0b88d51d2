// Runs in a worker thread (piscina): zonal loss for a chunk of geometries. Each worker keeps its own
// block stores open (and their block caches warm) between chunks.
import { BlockStore } from '../../raster/block_store';
import { forestLayer } from './forest_layer';
import { zonalLossOfGeometry, zonalLossOfPolygons, type ZonalLoss } from './zonal_loss';
import { polygonsFromWkb } from './wkb';

export interface ZonalTask {
  loss: { dir: string; stamp: string };
  treecover?: { dir: string; stamp: string };
  threshold: number;
  /** false: count every pixel even in blocks a polygon covers whole (benchmarks measure the scan). */
  useSummaries?: boolean;
  /** Each geometry as WKB (fast to parse) or GeoJSON text. */
  items: { id: number; wkb?: Uint8Array; geojson?: string }[];
}

export interface ZonalTaskResult {
  id: number;
  result?: ZonalLoss;
  error?: string;
}

const open = new Map<string, { stamp: string; store: BlockStore }>();

function store(ref: { dir: string; stamp: string }): BlockStore {
  const cached = open.get(ref.dir);
  if (cached && cached.stamp === ref.stamp) return cached.store;
  cached?.store.close();
  const s = new BlockStore(ref.dir, 2048);
  open.set(ref.dir, { stamp: ref.stamp, store: s });
  return s;
}

export default function run(task: ZonalTask): ZonalTaskResult[] {
  if (task.items.length === 0) {
    // "Prepare": build the forest layer and its summaries here, off the server's event loop.
    forestLayer(store(task.loss), task.treecover ? store(task.treecover) : undefined, task.treecover ? task.threshold : 0);
    return [];
  }
  const layers = { loss: store(task.loss), ...(task.treecover ? { treecover: store(task.treecover) } : {}), threshold: task.threshold, ...(task.useSummaries === false ? { useSummaries: false } : {}) };
  return task.items.map((item) => {
    try {
      const result = item.wkb ? zonalLossOfPolygons(polygonsFromWkb(item.wkb), layers) : zonalLossOfGeometry(JSON.parse(item.geojson ?? 'null'), layers);
      return { id: item.id, result };
    } catch (e) {
      return { id: item.id, error: (e as Error).message };
    }
  });
}
