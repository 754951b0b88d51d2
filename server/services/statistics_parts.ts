// A statistics batch as parts several workers can share: planned as runs of the subjects that need
// figures (in the spatially sorted order the batch reads rasters in, so a part keeps to nearby
// blocks), each part computing its run and writing as it goes. A part run twice computes nothing
// new the second time (figures already current are skipped; writes are upserts), which is what a
// queue's at-least-once delivery needs.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { PlannedPart } from '../db/repositories/job_parts.repository';
import { deleteOrphanStats, subjectIdsNeedingStats, type StatSubject } from '../db/repositories/loss_statistics.repository';
import type { ZonalPool } from '../analysis/zonal/zonal_pool';
import type { RasterStores } from './rasters.service';
import { resolveLayers, statKey, type LayerChoice } from './loss_layers';
import { refreshSubjects, type RefreshScope } from './loss_statistics.service';

/** Subjects per part: at least this many (a part has a fixed cost: layers, a pool round), else a 32nd of a stage. */
const MIN_PART = 50;
const PARTS_PER_STAGE = 32;

export interface StatisticsPart {
  stage: string;
  subject: StatSubject;
  areaKind?: string;
  bufferM: number;
  ids: number[];
}

export interface PartResult {
  stage: string;
  computed: number;
  failed: { id: number; error: string }[];
}

function stagesOf(scope: RefreshScope): Omit<StatisticsPart, 'ids'>[] {
  const stages: Omit<StatisticsPart, 'ids'>[] = [];
  if (scope.areas !== false) stages.push({ stage: scope.areaKind ? `areas (${scope.areaKind})` : 'areas', subject: 'area', ...(scope.areaKind ? { areaKind: scope.areaKind } : {}), bufferM: 0 });
  if (scope.ring) stages.push({ stage: `${scope.ring.kind} rings (${scope.ring.bufferM} m)`, subject: 'area', areaKind: scope.ring.kind, bufferM: scope.ring.bufferM });
  if (scope.sites) stages.push({ stage: `site buffers (${scope.bufferM} m)`, subject: 'site', bufferM: scope.bufferM });
  if (scope.activities) stages.push({ stage: `activity buffers (${scope.bufferM} m)`, subject: 'activity', bufferM: scope.bufferM });
  return stages;
}

/** The parts of a batch: every stage's pending subjects in runs; a stage with nothing to do still has an (empty) part, so the message names it. */
export async function planStatistics(db: Kysely<Database>, choice: LayerChoice, scope: RefreshScope, force: boolean): Promise<PlannedPart[]> {
  const layers = await resolveLayers(db, choice);
  await deleteOrphanStats(db);
  const parts: PlannedPart[] = [];
  for (const s of stagesOf(scope)) {
    const filter = { subject: s.subject, ...(s.areaKind ? { areaKind: s.areaKind } : {}) };
    const ids = await subjectIdsNeedingStats(db, filter, statKey(layers, s.bufferM), layers.stamp, force);
    const size = Math.max(MIN_PART, Math.ceil(ids.length / PARTS_PER_STAGE));
    if (ids.length === 0) parts.push({ params: { ...s, ids: [] } satisfies StatisticsPart, total: 0 });
    for (let i = 0; i < ids.length; i += size) {
      const run = ids.slice(i, i + size);
      parts.push({ params: { ...s, ids: run } satisfies StatisticsPart, total: run.length });
    }
  }
  return parts;
}

/** One part: its subjects' figures, computed and stored (those already current are skipped). */
export async function runStatisticsPart(db: Kysely<Database>, rasters: RasterStores, pool: ZonalPool | undefined, choice: LayerChoice, part: StatisticsPart, force: boolean, progress: (done: number, message?: string) => void): Promise<PartResult> {
  if (part.ids.length === 0) return { stage: part.stage, computed: 0, failed: [] };
  const layers = await resolveLayers(db, choice);
  const filter = { subject: part.subject, ...(part.areaKind ? { areaKind: part.areaKind } : {}), ids: part.ids };
  const r = await refreshSubjects(db, rasters, pool, filter, layers, part.bufferM, { ...(force ? { force: true } : {}), onProgress: (p) => progress(p.done, part.stage) });
  return { stage: part.stage, ...r };
}

/** The parts' results summed per stage, in plan order. */
export function summarise(results: PartResult[]): PartResult[] {
  const byStage = new Map<string, PartResult>();
  for (const r of results) {
    const s = byStage.get(r.stage) ?? { stage: r.stage, computed: 0, failed: [] };
    s.computed += r.computed;
    s.failed.push(...r.failed);
    byStage.set(r.stage, s);
  }
  return [...byStage.values()];
}
