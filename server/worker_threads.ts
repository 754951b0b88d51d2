// Worker threads for TypeScript and for the compiled build alike: a worker module beside its
// caller is `name.ts` under tsx or vitest and `name.js` once compiled, and a TypeScript one needs
// tsx's loader in the thread. One place for that, for every pool and thread of the server.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { Piscina } from 'piscina';

type PiscinaOptions = NonNullable<ConstructorParameters<typeof Piscina>[0]>;

/** The worker module `name` next to the module at `callerUrl` (pass `import.meta.url`). */
export function workerModule(callerUrl: string, name: string): URL {
  return new URL(callerUrl.endsWith('.ts') ? `./${name}.ts` : `./${name}.js`, callerUrl);
}

/** A Piscina pool over the worker module `name` beside the caller. */
export function workerPool(callerUrl: string, name: string, options: Omit<PiscinaOptions, 'filename' | 'execArgv'>): Piscina {
  const filename = workerModule(callerUrl, name).href;
  // Piscina imports the module itself, after the thread's --import hooks are in place.
  return new Piscina({ ...options, filename, ...(filename.endsWith('.ts') ? { execArgv: ['--import', 'tsx'] } : {}) });
}

/**
 * A plain Worker running the module `name` beside the caller. A TypeScript module registers tsx's
 * loader first, then imports the file: on Node 20, a Worker given the .ts file directly resolves
 * it before any `--import` hook of the thread runs.
 */
export function workerThread(callerUrl: string, name: string, options: Omit<WorkerOptions, 'eval' | 'execArgv'>): Worker {
  const url = workerModule(callerUrl, name);
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`, { ...options, eval: true });
}
