// Whether an indicator is on course to its target: the rule is documented here and in the README,
// and returned with every answer so a reader can check a status by hand.

export type ProgressStatus = 'on_track' | 'at_risk' | 'off_track' | 'no_data';
export type Direction = 'lower_is_better' | 'higher_is_better';

export const STATUS_RULE =
  'Linear path from the baseline (value, year) to the target (value, year). The latest value (for yearly ' +
  'spatial series: the mean of the last three years, to damp year-to-year noise) is compared with the value ' +
  'the path expects at its date, in the indicator\'s direction: on track when it is as good as the path or ' +
  'better, at risk when worse by no more than a quarter of the whole baseline-to-target change (of the ' +
  'baseline itself for a no-change target), off track otherwise; no data without a baseline, a target or a ' +
  'value after the baseline year.';

export const STATUS_RULE_ES =
  'Trayectoria lineal de la línea de base (valor, año) a la meta (valor, año). El último valor (en series ' +
  'espaciales anuales: la media de los tres últimos años, para amortiguar el ruido entre años) se compara con ' +
  'el valor que la trayectoria espera en su fecha, en el sentido del indicador: en curso si es igual o mejor, ' +
  'en riesgo si es peor como mucho en un cuarto del cambio total de la línea de base a la meta (de la propia ' +
  'línea de base si la meta es no cambiar), desviado si es peor; sin datos cuando falta la línea de base, la ' +
  'meta o un valor posterior al año de base.';

/** Share of the whole baseline-to-target change by which the latest value may lag and still be "at risk". */
export const AT_RISK_TOLERANCE = 0.25;

export interface StatusInput {
  direction: Direction;
  baseline: { value: number; year: number } | null;
  target: { value: number; year: number } | null;
  /** The value compared, at a fractional year (2019.5 = mid 2019). */
  latest: { value: number; at: number } | null;
}

export interface StatusAnswer {
  status: ProgressStatus;
  /** Value the linear path expects at the latest value's date. */
  expected: number | null;
  /** Share of the baseline-to-target change achieved (1 = target reached), and the share expected. */
  achieved_share: number | null;
  expected_share: number | null;
}

const NO_DATA: StatusAnswer = { status: 'no_data', expected: null, achieved_share: null, expected_share: null };

export function progressStatus(input: StatusInput): StatusAnswer {
  const { baseline, target, latest } = input;
  if (!baseline || !target || !latest || latest.at <= baseline.year) return NO_DATA;
  if (target.year <= baseline.year) return NO_DATA;
  const change = target.value - baseline.value;
  const expectedShare = Math.min(1, (latest.at - baseline.year) / (target.year - baseline.year));
  const expected = baseline.value + change * expectedShare;
  // How much worse than the path the value is, in the indicator's own direction (negative = better).
  // Direction decides, not the sign of the change: "limit the rise of loss to +25 %" is a target
  // above the baseline for a lower-is-better indicator, and overshooting it is bad.
  const gap = input.direction === 'lower_is_better' ? latest.value - expected : expected - latest.value;
  // A "hold the line" target (no change) is measured against the size of the baseline instead.
  const scale = change !== 0 ? Math.abs(change) : Math.abs(baseline.value);
  const tolerance = 1e-9 * Math.max(1, scale);
  const status: ProgressStatus = gap <= tolerance ? 'on_track' : gap <= AT_RISK_TOLERANCE * scale + tolerance ? 'at_risk' : 'off_track';
  return { status, expected, achieved_share: change === 0 ? null : (latest.value - baseline.value) / change, expected_share: expectedShare };
}

/** The worst of several statuses (for an activity with several indicators); no_data only when all are. */
export function worstStatus(statuses: ProgressStatus[]): ProgressStatus {
  const order: ProgressStatus[] = ['off_track', 'at_risk', 'on_track'];
  for (const s of order) if (statuses.includes(s)) return s;
  return 'no_data';
}
