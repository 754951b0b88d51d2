import { describe, expect, it } from 'vitest';
import { Store } from '../../../client/state/store';

describe('Store', () => {
  it('replaces the value on update, removes keys set to undefined, and tells listeners the old value and why', () => {
    const store = new Store<{ a: number; b?: string }, 'push' | 'history'>({ a: 1, b: 'x' });
    const seen: unknown[] = [];
    const before = store.get();
    const stop = store.subscribe((next, prev, why) => seen.push([next, prev, why]));
    store.update({ a: 2, b: undefined }, 'push');
    expect(store.get()).toEqual({ a: 2 });
    expect('b' in store.get()).toBe(false);
    expect(before).toEqual({ a: 1, b: 'x' }); // the old value was not mutated
    expect(seen).toEqual([[{ a: 2 }, { a: 1, b: 'x' }, 'push']]);
    stop();
    store.replace({ a: 3 }, 'history');
    expect(seen).toHaveLength(1);
  });

  it('lets a listener unsubscribe another during a notification without skipping the rest', () => {
    const store = new Store<{ n: number }>({ n: 0 });
    const calls: string[] = [];
    let stopB = () => {};
    store.subscribe(() => {
      calls.push('a');
      stopB();
    });
    stopB = store.subscribe(() => calls.push('b'));
    store.update({ n: 1 }, undefined);
    store.update({ n: 2 }, undefined);
    expect(calls).toEqual(['a', 'b', 'a']);
  });
});
