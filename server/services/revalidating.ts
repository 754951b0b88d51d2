// A value read from the database and kept for a while: re-read at most every `ttlMs`, once at a
// time; while a re-read runs, callers get the value they had (after waiting up to `waitMs` for
// the new one), so a busy database never holds a request that only needs it for freshness.
export class Revalidating<T> {
  private current: { at: number; value: T } | undefined;
  private refreshing: Promise<T> | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly waitMs = 0,
  ) {}

  get(): Promise<T> {
    const current = this.current;
    if (current && Date.now() - current.at <= this.ttlMs) return Promise.resolve(current.value);
    if (!this.refreshing) {
      this.refreshing = this.load()
        .then((value) => ((this.current = { at: Date.now(), value }), value))
        .finally(() => (this.refreshing = undefined));
      this.refreshing.catch(() => undefined); // a caller with nothing to fall back on sees the error
    }
    if (!current) return this.refreshing;
    if (this.waitMs === 0) return Promise.resolve(current.value);
    return Promise.race([
      this.refreshing.catch(() => current.value),
      new Promise<T>((resolve) => setTimeout(() => resolve(current.value), this.waitMs).unref()),
    ]);
  }
}
