// PostgreSQL's wire protocol counts a statement's parameters in 16 bits: more than 65,535 and the
// bind message is malformed ("bind message has N parameter formats but 0 parameters"). Multi-row
// writes go in slices that stay well under it.
export const MAX_BIND_PARAMETERS = 30_000;

/** `rows` in consecutive slices of at most MAX_BIND_PARAMETERS / paramsPerRow rows (at least 1). */
export function* parameterSlices<T>(rows: readonly T[], paramsPerRow: number): Generator<T[]> {
  const size = Math.max(1, Math.floor(MAX_BIND_PARAMETERS / Math.max(1, paramsPerRow)));
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
