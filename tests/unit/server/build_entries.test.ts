// `npm start` runs the server compiled by scripts/build_server.ts, where each worker thread module
// is a bundle of its own beside main.js. A thread started by name (workerThread / workerPool) whose
// module is not an entry there works under tsx and in every test, and fails only in the compiled
// server (it did once: the object store's blocking read then waited its full timeout).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function serverFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? serverFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('the compiled server', () => {
  it('bundles every worker thread module the server starts by name', () => {
    const build = fs.readFileSync(path.join(root, 'scripts/build_server.ts'), 'utf8');
    const started = new Map<string, string>();
    for (const file of serverFiles(path.join(root, 'server'))) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/worker(?:Thread|Pool)\(import\.meta\.url, '([a-z_]+)'/g)) started.set(m[1]!, path.relative(root, file));
    }
    expect(started.size).toBeGreaterThanOrEqual(5);
    for (const [name, from] of started) {
      const entry = new RegExp(`\\b${name}: '([^']+)'`).exec(build);
      expect(entry, `${name} (started in ${from}) is not an entry of scripts/build_server.ts`).not.toBeNull();
      expect(path.dirname(entry![1]!), `${name} must sit beside ${from}`).toBe(path.dirname(from));
    }
  });
});
