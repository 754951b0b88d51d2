// The layer zonal statistics read: loss codes where there was forest in 2000 and 255 where there was
// not, for one tree cover layer and threshold (or the loss layer itself when there is no mask).
// Tree cover is dense and compresses poorly, so inflating it with every query cost four times the
// loss layer; this derived layer is as sparse as the loss (forest without loss is 0, runs of
// non-forest are 255) and is read alone. Built once per forest definition beside the loss store
// (an ingest replaces that folder, taking it along), with the per-block summaries of block_summary.ts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BLOCK, BlockStore, LevelWriter, levelMeta } from '../../raster/block_store';
import { finishStore } from '../../raster/store_pack';
import { blockSummary, type BlockSummary } from './block_summary';

export const NOT_FOREST = 255;

export interface ForestLayer {
  store: BlockStore;
  summary: BlockSummary;
  /** Highest loss code (bins 0..maxCode, then non-forest). */
  maxCode: number;
}

function identity(treecover: BlockStore | undefined, threshold: number): string {
  if (!treecover || threshold <= 0) return 'none';
  const stat = fs.statSync(path.join(treecover.dir, 'meta.json'));
  return `${path.resolve(treecover.dir)}@${stat.mtimeMs}:${stat.size}|t${threshold}`;
}

function build(loss: BlockStore, treecover: BlockStore, threshold: number, dir: string): void {
  const tmp = `${dir}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  fs.mkdirSync(tmp, { recursive: true });
  try {
    const m = loss.meta;
    const l0 = levelMeta(m.width, m.height, m.pixelSize, 0);
    const writer = new LevelWriter(tmp, l0);
    const out = new Uint8Array(BLOCK * BLOCK);
    for (let by = 0; by < l0.rows; by++) {
      for (let bx = 0; bx < l0.cols; bx++) {
        const lb = loss.block(0, bx, by);
        const tb = treecover.block(0, bx, by);
        if (tb === BlockStore.EMPTY) out.fill(NOT_FOREST);
        else for (let i = 0; i < out.length; i++) out[i] = tb[i]! >= threshold ? lb[i]! : NOT_FOREST;
        writer.write(out);
      }
    }
    writer.finish();
    const { file: _file, ...rest } = m;
    finishStore(tmp, { ...rest, kind: 'other', levels: [l0] });
    try {
      fs.renameSync(tmp, dir);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // another thread built it first
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

// Per opened loss store (a re-ingested layer is opened anew), per tree cover store and threshold.
const open = new WeakMap<BlockStore, Map<string, ForestLayer>>();

export function forestLayer(loss: BlockStore, treecover: BlockStore | undefined, threshold: number): ForestLayer {
  const masked = treecover !== undefined && threshold > 0;
  const key = masked ? `${treecover.serial}|${threshold}` : 'none';
  let byKey = open.get(loss);
  const cached = byKey?.get(key);
  if (cached) return cached;
  if (!byKey) open.set(loss, (byKey = new Map()));
  if (loss.meta.maxValue >= NOT_FOREST) throw new Error(`loss codes reach ${loss.meta.maxValue}; ${NOT_FOREST} is reserved for non-forest`);
  const id = identity(treecover, threshold);
  let store = loss;
  if (id !== 'none') {
    const dir = path.join(loss.dir, `forest-${crypto.createHash('sha1').update(id).digest('hex').slice(0, 16)}`);
    if (!fs.existsSync(path.join(dir, 'meta.json'))) build(loss, treecover!, threshold, dir);
    store = new BlockStore(dir, 2048);
  }
  const layer = { store, summary: blockSummary(store, loss.meta.maxValue), maxCode: Math.max(1, loss.meta.maxValue) };
  byKey.set(key, layer);
  return layer;
}
