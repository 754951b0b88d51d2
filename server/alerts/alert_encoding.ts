// The one internal encoding every alert source is normalised to: a uint16 per pixel,
// value = day * 4 + confidence, where day counts from 2014-12-31 (day 1 = 2015-01-01, the epoch of
// GFW's integrated alerts) and confidence is 1 low, 2 high, 3 highest; 0 = no alert. Chosen so the
// plain maximum of a few pixels is the newest alert (and, on one day, the most confident): what an
// overview pixel keeps. Days reach 16,383 (2059-11-08).

export const CONFIDENCES = ['low', 'high', 'highest'] as const;
export type Confidence = (typeof CONFIDENCES)[number];
export const ALERT_SOURCES = ['gfw-integrated', 'glad-l', 'radd'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

export const MAX_DAY = 16_383;
const EPOCH_MS = Date.UTC(2014, 11, 31);
const DAY_MS = 86_400_000;

/** The filter bit of each confidence named (bit 1 low, 2 high, 3 highest), as the encoding numbers them. */
export const confidenceMask = (names: readonly Confidence[]): number => names.reduce((m, c) => m | (1 << (CONFIDENCES.indexOf(c) + 1)), 0);

export const encodeAlert = (day: number, confidence: 1 | 2 | 3): number => day * 4 + confidence;
export const alertDay = (v: number): number => v >> 2;
export const alertConfidence = (v: number): number => v & 3;

/** Day number of an ISO date (YYYY-MM-DD), 2015-01-01 = 1. */
export function dayOf(isoDate: string): number {
  return Math.round((Date.parse(`${isoDate}T00:00:00Z`) - EPOCH_MS) / DAY_MS);
}

/** ISO date of a day number. */
export function dateOfDay(day: number): string {
  return new Date(EPOCH_MS + day * DAY_MS).toISOString().slice(0, 10);
}

/** Today's day number (UTC). */
export function today(now = Date.now()): number {
  return Math.floor((now - EPOCH_MS) / DAY_MS);
}

/** Day number of day-of-year `doy` (1 = 1 January) of `year`. */
export function dayOfYearDay(year: number, doy: number): number {
  return Math.round((Date.UTC(year, 0, 1) - EPOCH_MS) / DAY_MS) + doy - 1;
}

export const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Why a source pixel cannot be decoded, as the error tells the user. */
export class AlertValueError extends Error {}

/**
 * GFW integrated alerts: v = confidence x 10000 + days since 2014-12-31, confidence 2 low, 3 high,
 * 4 highest (GFW's decoder: `v // 10000`, `v % 10000`); 0 = none.
 */
export function decodeGfwIntegrated(v: number): number {
  if (v === 0) return 0;
  const c = Math.floor(v / 10000);
  const day = v % 10000;
  if (c < 2 || c > 4 || day === 0) throw new AlertValueError(`value ${v} is not a GFW integrated alert (confidence x 10000 + day, confidence 2-4, day >= 1)`);
  return encodeAlert(day, (c - 1) as 1 | 2 | 3);
}

/** GLAD-L: `alert` 2 probable (low), 3 confirmed (high); `alertDate` the day of year of `year`. */
export function decodeGladL(alert: number, doy: number, year: number): number {
  if (alert === 0) return 0;
  if (alert !== 2 && alert !== 3) throw new AlertValueError(`alert value ${alert} is not a GLAD-L class (2 probable, 3 confirmed)`);
  if (!(doy >= 1 && doy <= (isLeap(year) ? 366 : 365))) throw new AlertValueError(`alertDate ${doy} is not a day of ${year}`);
  return encodeAlert(dayOfYearDay(year, doy), (alert - 1) as 1 | 2);
}

/** RADD: `Alert` 2 low, 3 high; `Date` as YYDOY (21001 = 2021-01-01). */
export function decodeRadd(alert: number, yydoy: number): number {
  if (alert === 0) return 0;
  if (alert !== 2 && alert !== 3) throw new AlertValueError(`Alert value ${alert} is not a RADD class (2 low, 3 high)`);
  const year = 2000 + Math.floor(yydoy / 1000);
  const doy = yydoy % 1000;
  if (yydoy < 15001 || !(doy >= 1 && doy <= (isLeap(year) ? 366 : 365))) throw new AlertValueError(`Date ${yydoy} is not a YYDOY date from 2015 on`);
  return encodeAlert(dayOfYearDay(year, doy), (alert - 1) as 1 | 2);
}
