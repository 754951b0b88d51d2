// Messages between the main thread and the thread that owns the embedded PostGIS (PGlite).
// PGlite is WebAssembly that runs on the thread that calls it; a long query there would block
// every HTTP request, so it lives on its own thread and queries travel as messages.

export type ToWorker =
  | { type: 'query'; id: number; sql: string; params: unknown[] }
  | { type: 'close'; id: number };

export interface QueryResult {
  rows: unknown[];
  affectedRows?: number;
  fields: { name: string; dataTypeID: number }[];
}

/** A PostgreSQL error's fields (code, detail, hint, ...), which callers inspect, copied across threads. */
export type SerialisedError = { message: string; [field: string]: unknown };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; error: SerialisedError }
  | { type: 'result'; id: number; result: QueryResult }
  | { type: 'error'; id: number; error: SerialisedError }
  | { type: 'closed'; id: number };

export interface WorkerInit {
  dir: string;
}

export function serialiseError(e: unknown): SerialisedError {
  if (!(e instanceof Error)) return { message: String(e) };
  const out: SerialisedError = { message: e.message, name: e.name };
  for (const [k, v] of Object.entries(e)) {
    if (v === undefined || typeof v === 'function' || (typeof v === 'object' && v !== null)) continue;
    out[k] = v;
  }
  return out;
}
