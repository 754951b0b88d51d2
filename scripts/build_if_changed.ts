// `npm start` builds only when something the build reads changed since the last build: the client
// and server sources, the build configuration, the installed packages. A later start then skips
// the client build (about 35 s on a 2-core machine) and the server compile.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const inputs = ['client', 'server', 'scripts/glyphs', 'vite.config.ts', 'scripts/build_server.ts', 'package-lock.json', 'tsconfig.json'];
const stampFile = path.join('dist', 'build-stamp.json');

/** Every file under the inputs with its size and modification time, hashed: cheap, and any edit changes it. */
function sourcesStamp(): string {
  const hash = createHash('sha256');
  const visit = (p: string) => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) visit(path.join(p, name));
      return;
    }
    hash.update(`${p}\0${stat.size}\0${stat.mtimeMs}\n`);
  };
  inputs.forEach(visit);
  return hash.digest('hex');
}

const stamp = sourcesStamp();
const built = fs.existsSync(stampFile) ? (JSON.parse(fs.readFileSync(stampFile, 'utf8')) as { stamp?: string }).stamp : undefined;
const outputs = ['dist/client/index.html', 'dist/server/main.js'].every((f) => fs.existsSync(f));
if (built === stamp && outputs) {
  console.log('build is current (no source changed since the last build); starting');
} else {
  const started = Date.now();
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
  fs.writeFileSync(stampFile, JSON.stringify({ stamp, builtAt: new Date().toISOString() }));
  console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
