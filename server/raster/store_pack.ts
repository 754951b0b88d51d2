// Turns a store's level files into its COG (cog_write.ts), and converts stores written before the
// COG on start: the stored deflated blocks are copied into the TIFF as they are, so converting reads
// no source raster and decodes no block.
import fs from 'node:fs';
import path from 'node:path';
import { BlockStore, type StoreMeta } from './block_store';
import { writeCog, type LevelTiles } from './cog_write';

export const COG_FILE = 'layer.tif';

/**
 * Writes `file` in `dir` from the store's level files (or another COG) and returns the meta that
 * names it. The level files stay until the caller has switched meta.json (removeLevelFiles).
 */
export function packStore(dir: string, written: StoreMeta, file = COG_FILE, replaced?: Map<number, Uint8Array | null>[]): StoreMeta {
  // Levels written here, whatever the meta they were derived from says (a forest layer built from a layer in the object store).
  const { remote: _remote, ...meta } = written;
  const store = new BlockStore(dir, 1, meta);
  try {
    const levels: LevelTiles[] = meta.levels.map((l) => ({ ...store.levelTiles(l.level), replaced: replaced?.[l.level] }));
    const { generation: _generation, ...rest } = meta;
    const packed: StoreMeta = { ...rest, file };
    writeCog(path.join(dir, file), packed, levels);
    return packed;
  } finally {
    store.close();
  }
}

/**
 * The end of writing a store in its temporary folder: its level files become the COG, which the
 * folder then holds alone with meta.json (the caller renames the folder into place).
 */
export function finishStore(tmp: string, meta: StoreMeta): StoreMeta {
  const packed = packStore(tmp, meta);
  removeUnnamedFiles(tmp, packed);
  fs.writeFileSync(path.join(tmp, 'meta.json'), JSON.stringify(packed, null, 1));
  return packed;
}

/** Replaces meta.json at once (readers open either the old or the new store, never half of one). */
export function switchMeta(dir: string, meta: StoreMeta): void {
  fs.writeFileSync(path.join(dir, 'meta.json.tmp'), JSON.stringify(meta, null, 1));
  fs.renameSync(path.join(dir, 'meta.json.tmp'), path.join(dir, 'meta.json'));
}

/** Removes what meta.json no longer names: level files, earlier COGs, half-written temporary files. */
export function removeUnnamedFiles(dir: string, meta: StoreMeta): void {
  const hourAgo = Date.now() - 3600_000;
  for (const f of fs.readdirSync(dir)) {
    // (`<file>.upload.json` is an upload to the object store to resume, not a stale file.)
    const stale = /^level-\d+\.(blocks|index)/.test(f) || (/^layer(\.\d+)?\.tif/.test(f) && f !== meta.file && !f.endsWith('.upload.json'));
    // A temporary file may be an update another process is writing now: only old ones are left over.
    if (stale && !(f.includes('.tmp-') && fs.statSync(path.join(dir, f)).mtimeMs > hourAgo)) fs.rmSync(path.join(dir, f), { force: true });
  }
}

/**
 * Converts every store under `rastersDir` (the layers and their derived forest layers) still written
 * as level files into its COG. Returns the folders converted.
 */
export function convertLegacyStores(rastersDir: string): string[] {
  const converted: string[] = [];
  if (!fs.existsSync(rastersDir)) return converted;
  const visit = (dir: string, depth: number) => {
    const metaFile = path.join(dir, 'meta.json');
    if (fs.existsSync(metaFile)) {
      let meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as StoreMeta;
      if (!meta.file) {
        meta = packStore(dir, meta);
        switchMeta(dir, meta);
        converted.push(dir);
      }
      removeUnnamedFiles(dir, meta);
    }
    if (depth === 0) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory() && !e.name.includes('.tmp-')) visit(path.join(dir, e.name), depth - 1);
  };
  for (const e of fs.readdirSync(rastersDir, { withFileTypes: true })) if (e.isDirectory() && !e.name.includes('.tmp-')) visit(path.join(rastersDir, e.name), 1);
  return converted;
}
