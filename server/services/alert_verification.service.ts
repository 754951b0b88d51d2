// Field checks in the alert statistics: of a zone's alerts (under the answer's filter), how many
// pixels and hectares accepted reports confirmed or found false, and how many are unverified.
import type { Kysely } from 'kysely';
import type { AlertVerification } from '../api';
import { acceptedAlertChecks, lastReviewStamp } from '../db/repositories/field_reports.repository';
import type { Database } from '../db/schema';
import type { BlockStore } from '../raster/block_store';
import type { Spans } from '../analysis/zonal/scanline';
import { coveredPixels, VERIFICATION_RULE, verifiedInZone, type CheckResult } from '../alerts/alert_verification';
import type { AlertFilter } from '../alerts/alert_zonal';

const round = (ha: number) => Math.round(ha * 1e4) / 1e4;

interface Covered {
  key: string;
  pixels: Map<number, CheckResult>;
  reports: number;
}
const coveredCache = new Map<string, Covered>();

/**
 * The alert pixels the accepted reports of a layer cover, kept until a review changes them or the
 * layer's store is replaced: one cheap aggregate per call instead of reading every accepted report
 * and rasterising its outline for each answer (a progress report asks once per activity).
 */
export async function coveredAlertPixels(db: Kysely<Database>, layer: string, store: BlockStore): Promise<Covered> {
  const key = `${store.serial}|${await lastReviewStamp(db)}`;
  const cached = coveredCache.get(layer);
  if (cached?.key === key) return cached;
  const checks = await acceptedAlertChecks(db, layer);
  const covered = { key, pixels: coveredPixels(checks, store), reports: checks.length };
  coveredCache.set(layer, covered);
  return covered;
}

/** null when no report on this layer is accepted (nothing verified yet: the answer says only totals). */
export async function alertVerification(db: Kysely<Database>, layer: string, store: BlockStore, zone: () => Promise<Spans>, filter: AlertFilter, totals: { px: number; ha: number }): Promise<AlertVerification | null> {
  const covered = await coveredAlertPixels(db, layer, store);
  if (covered.reports === 0) return null;
  const counts = verifiedInZone(covered.pixels, await zone(), store, filter);
  const px = Math.max(0, totals.px - counts.confirmed.px - counts.false_positive.px);
  return {
    confirmed: { px: counts.confirmed.px, ha: round(counts.confirmed.ha) },
    false_positive: { px: counts.false_positive.px, ha: round(counts.false_positive.ha) },
    unverified: { px, ha: px === 0 ? 0 : round(Math.max(0, totals.ha - counts.confirmed.ha - counts.false_positive.ha)) },
    reports: covered.reports,
    rule: VERIFICATION_RULE,
  };
}
