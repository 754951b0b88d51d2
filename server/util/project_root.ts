// The project's folder (where package.json is), found from this module wherever it runs from:
// server/util under tsx, dist/server once compiled. Files the server reads from the project (the
// built client, data/workprogram.json) are resolved from here, not relative to the calling module.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

export const projectPath = (...parts: string[]): string => path.join(projectRoot, ...parts);
