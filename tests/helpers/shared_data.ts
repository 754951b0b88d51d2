import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/data beside the project (CI has it); tests that need it skip with a message when absent. */
export const sharedData = fileURLToPath(new URL('../../../shared/data', import.meta.url));
export const hasSharedData = fs.existsSync(path.join(sharedData, 'SOURCES.md'));
if (!hasSharedData) console.warn(`tests that read real data skip: ${sharedData} is absent`);

/** Debian's gdal-bin (gdal_translate); tests that need it skip with a message when absent. */
export const hasGdal = (() => {
  try {
    execFileSync('gdal_translate', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export const hasOgrinfo = (() => {
  try {
    execFileSync('ogrinfo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The feature count GDAL reports for a file (zips through /vsizip/). */
export function ogrFeatureCount(file: string): number {
  const target = file.endsWith('.zip') ? `/vsizip/${file}` : file;
  const out = execFileSync('ogrinfo', ['-so', '-al', target], { encoding: 'utf8' });
  const m = out.match(/Feature Count: (\d+)/);
  if (!m) throw new Error(`ogrinfo gave no feature count for ${file}`);
  return Number(m[1]);
}
