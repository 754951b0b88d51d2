import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Writes the latest figures of one benchmark to tests/bench/results/<name>.json. */
export function recordResult(name: string, result: object): void {
  const dir = fileURLToPath(new URL('./results', import.meta.url));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, ...result }, null, 2));
}
