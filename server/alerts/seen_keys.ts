// The alerts already reported to a subscription, as a sorted set of numeric keys. An alert is a
// pixel on a day: key = (row x width + col) x 16384 + day. Days stay below 16384 (2059) and the
// pixel index below 2^39 (a 740,000-pixel-square layer), so keys are exact in a float64 (< 2^53).
// A newer alert replacing an older one in the same pixel has another day, so another key: it is new.
// Kept as a Float64Array in one bytea per subscription and layer (8 bytes per reported alert).

const DAY_SPAN = 16384;

export function alertKey(col: number, row: number, width: number, day: number): number {
  return (row * width + col) * DAY_SPAN + day;
}

export function keysFromBytes(bytes: Uint8Array | null | undefined): Float64Array {
  if (!bytes || bytes.byteLength === 0) return new Float64Array(0);
  // Copy: the driver's buffer may not be 8-byte aligned.
  return new Float64Array(new Uint8Array(bytes).buffer, 0, bytes.byteLength >> 3);
}

export function keysToBytes(keys: Float64Array): Uint8Array {
  return new Uint8Array(keys.buffer, keys.byteOffset, keys.byteLength);
}

/** Whether the sorted set holds the key (binary search). */
export function hasKey(sorted: Float64Array, key: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === key) return true;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The union of a sorted set and new keys (any order, duplicates allowed), sorted. */
export function mergeKeys(sorted: Float64Array, added: Iterable<number>): Float64Array {
  const extra = Float64Array.from(new Set(added)).sort();
  const out = new Float64Array(sorted.length + extra.length);
  let i = 0, j = 0, n = 0;
  while (i < sorted.length || j < extra.length) {
    const a = i < sorted.length ? sorted[i]! : Infinity;
    const b = j < extra.length ? extra[j]! : Infinity;
    const v = a <= b ? a : b;
    if (a <= b) i++;
    if (b <= a) j++;
    if (n === 0 || out[n - 1] !== v) out[n++] = v;
  }
  return out.slice(0, n);
}

/** Drops keys of days before `fromDay`: alerts older than a subscription's floor are never reported again anyway. */
export function dropDaysBefore(sorted: Float64Array, fromDay: number): Float64Array {
  return sorted.filter((k) => k % DAY_SPAN >= fromDay);
}
