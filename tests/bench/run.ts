// npm run bench [-- <bench file> [options]] — runs every tests/bench/*.bench.ts, or the one given.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const [first, ...rest] = process.argv.slice(2);
const files = first && first.endsWith('.ts') ? [path.resolve(first)] : fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => path.join(dir, f));
const args = first && first.endsWith('.ts') ? rest : process.argv.slice(2);
let failed = false;
for (const f of files) {
  console.log(`\n== ${path.relative(process.cwd(), f)}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', f, ...args], { stdio: 'inherit' });
  failed ||= r.status !== 0;
}
process.exit(failed ? 1 : 0);
