import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/data beside the project (CI has it); tests that need it skip with a message when absent. */
export const sharedData = fileURLToPath(new URL('../../../shared/data', import.meta.url));
export const hasSharedData = fs.existsSync(path.join(sharedData, 'SOURCES.md'));
if (!hasSharedData) console.warn(`tests that read real data skip: ${sharedData} is absent`);

/** Whether a command runs; when it does not, says which tests skip and how to install it. */
function commandRuns(command: string, skipped: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn(`${skipped} skip: ${command} is not installed (apt-get install gdal-bin)`);
    return false;
  }
}

/** Debian's gdal-bin (gdal_translate); tests that need it skip with a message when absent. */
export const hasGdal = commandRuns('gdal_translate', 'tests checked against GDAL (rasters, MVT, OGC, exports)');

export const hasOgrinfo = commandRuns('ogrinfo', 'tests that count features with ogrinfo');

/** The feature count GDAL reports for a file (zips through /vsizip/). */
export function ogrFeatureCount(file: string): number {
  const target = file.endsWith('.zip') ? `/vsizip/${file}` : file;
  const out = execFileSync('ogrinfo', ['-so', '-al', target], { encoding: 'utf8' });
  const m = out.match(/Feature Count: (\d+)/);
  if (!m) throw new Error(`ogrinfo gave no feature count for ${file}`);
  return Number(m[1]);
}
