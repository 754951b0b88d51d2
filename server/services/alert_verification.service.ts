// Field checks in the alert statistics: of a zone's alerts (under the answer's filter), how many
// pixels and hectares accepted reports confirmed or found false, and how many are unverified.
import type { Kysely } from 'kysely';
import type { AlertVerification } from '../api';
import { acceptedAlertChecks } from '../db/repositories/field_reports.repository';
import type { Database } from '../db/schema';
import type { BlockStore } from '../raster/block_store';
import type { Spans } from '../analysis/zonal/scanline';
import { coveredPixels, VERIFICATION_RULE, verifiedInZone } from '../alerts/alert_verification';
import type { AlertFilter } from '../alerts/alert_zonal';

const round = (ha: number) => Math.round(ha * 1e4) / 1e4;

/** null when no report on this layer is accepted (nothing verified yet: the answer says only totals). */
export async function alertVerification(db: Kysely<Database>, layer: string, store: BlockStore, zone: () => Promise<Spans>, filter: AlertFilter, totals: { px: number; ha: number }): Promise<AlertVerification | null> {
  const checks = await acceptedAlertChecks(db, layer);
  if (checks.length === 0) return null;
  const counts = verifiedInZone(coveredPixels(checks, store), await zone(), store, filter);
  const px = Math.max(0, totals.px - counts.confirmed.px - counts.false_positive.px);
  return {
    confirmed: { px: counts.confirmed.px, ha: round(counts.confirmed.ha) },
    false_positive: { px: counts.false_positive.px, ha: round(counts.false_positive.ha) },
    unverified: { px, ha: px === 0 ? 0 : round(Math.max(0, totals.ha - counts.confirmed.ha - counts.false_positive.ha)) },
    reports: checks.length,
    rule: VERIFICATION_RULE,
  };
}
