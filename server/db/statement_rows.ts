// How many rows one long job's write statement takes. The embedded database has one connection that
// every request shares, so a statement there must be short (a request waits for the one running):
// 25 features staged, 100 areas written a statement keep reads under a quarter second while a
// 50,000-feature import runs (the availability benchmark). A PostGIS server serves reads on other
// connections meanwhile, so there bigger statements make the import faster.
// Keyed by the Kysely instance, whatever its schema type.
const singleConnection = new WeakSet<object>();

/** Called by the embedded opener for its instance. */
export function markSingleConnection(db: object): void {
  singleConnection.add(db);
}

export interface StatementRows {
  /** Features parsed, repaired and staged a statement. */
  stage: number;
  /** Staged rows written, settled or dropped a statement. */
  write: number;
}

export function statementRows(db: object): StatementRows {
  return singleConnection.has(db) ? { stage: 25, write: 100 } : { stage: 100, write: 500 };
}
