// Shapes exact alert counts into the public answer: totals, by confidence, per day, ISO week
// (Monday to Sunday, labelled as ISO 8601 does, e.g. 2025-W01 may start in December) or month.
import { CONFIDENCES, dateOfDay, type Confidence } from './alert_encoding';
import type { AlertZonal, DayCounts } from './alert_zonal';

export type AlertPeriod = 'day' | 'week' | 'month';

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** The period a day falls in: its first day (ISO date) and label. */
export function periodOf(day: number, period: AlertPeriod): { date: string; label: string } {
  const date = dateOfDay(day);
  if (period === 'day') return { date, label: date };
  if (period === 'month') return { date: `${date.slice(0, 7)}-01`, label: date.slice(0, 7) };
  const d = new Date(`${date}T00:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday 0
  const monday = new Date(d.getTime() - weekday * 86_400_000);
  // The ISO year is the year of the week's Thursday.
  const thursday = new Date(monday.getTime() + 3 * 86_400_000);
  const isoYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * 86_400_000)) + 1;
  return { date: monday.toISOString().slice(0, 10), label: `${isoYear}-W${String(week).padStart(2, '0')}` };
}

export interface AlertTotals {
  total_px: number;
  total_ha: number;
  by_confidence: Record<Confidence, { px: number; ha: number }>;
  days: { date: string; period: string; alert_px: number; alert_ha: number; by_confidence: Record<Confidence, { px: number; ha: number }> }[];
  covered_fraction: number;
  area_ha: number;
}

function split(c: DayCounts): Record<Confidence, { px: number; ha: number }> {
  return Object.fromEntries(CONFIDENCES.map((name, i) => [name, { px: c.px[i + 1]!, ha: r4(c.ha[i + 1]!) }])) as Record<Confidence, { px: number; ha: number }>;
}

export function alertTotals(z: AlertZonal, period: AlertPeriod): AlertTotals {
  const total: DayCounts = { px: [0, 0, 0, 0], ha: [0, 0, 0, 0] };
  const periods = new Map<string, { date: string; label: string; c: DayCounts }>();
  for (const day of [...z.days.keys()].sort((a, b) => a - b)) {
    const c = z.days.get(day)!;
    const p = periodOf(day, period);
    let e = periods.get(p.label);
    if (!e) {
      e = { ...p, c: { px: [0, 0, 0, 0], ha: [0, 0, 0, 0] } };
      periods.set(p.label, e);
    }
    for (let k = 1; k <= 3; k++) {
      e.c.px[k] = e.c.px[k]! + c.px[k]!;
      e.c.ha[k] = e.c.ha[k]! + c.ha[k]!;
      total.px[k] = total.px[k]! + c.px[k]!;
      total.ha[k] = total.ha[k]! + c.ha[k]!;
    }
  }
  const sum = (a: number[]) => a[1]! + a[2]! + a[3]!;
  return {
    total_px: sum(total.px),
    total_ha: r4(sum(total.ha)),
    by_confidence: split(total),
    days: [...periods.values()].map((e) => ({ date: e.date, period: e.label, alert_px: sum(e.c.px), alert_ha: r4(sum(e.c.ha)), by_confidence: split(e.c) })),
    covered_fraction: z.areaHa === 0 ? 0 : Math.round((z.coveredHa / z.areaHa) * 1e6) / 1e6,
    area_ha: r4(z.areaHa),
  };
}
