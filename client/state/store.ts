// A small observable store: one value, replaced (never mutated) on every change, and listeners told
// the new value, the old one and why it changed. Written here rather than taken from a library
// because this is all the app needs (nanostores and zustand would bring their own conventions for
// twenty lines of behaviour), and it keeps the "why" of a change, which the URL needs.
export type Listener<T, Why> = (next: T, prev: T, why: Why) => void;

export class Store<T extends object, Why = undefined> {
  private value: T;
  private readonly listeners = new Set<Listener<T, Why>>();

  constructor(initial: T) {
    this.value = initial;
  }

  get(): T {
    return this.value;
  }

  /** Merges `patch` (a key set to undefined is removed) and tells the listeners. */
  update(patch: Partial<T>, why: Why): void {
    const next = { ...this.value, ...patch };
    for (const k of Object.keys(patch) as (keyof T)[]) if (patch[k] === undefined) delete next[k];
    this.replace(next, why);
  }

  replace(next: T, why: Why): void {
    const prev = this.value;
    this.value = next;
    for (const listener of [...this.listeners]) listener(next, prev, why);
  }

  /** Calls `listener` on every later change; returns the unsubscribe. */
  subscribe(listener: Listener<T, Why>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
