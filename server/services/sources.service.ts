// The real sources as a user sees them: the catalogue with each source's last fetch.
import type { Kysely } from 'kysely';
import type { SourceStatus } from '../api';
import type { Database } from '../db/schema';
import { allFetchStates } from '../db/repositories/source_fetch.repository';
import { loadCatalogue } from '../sources/catalogue';

export async function listSources(db: Kysely<Database>): Promise<SourceStatus[]> {
  const states = await allFetchStates(db);
  return loadCatalogue().sources.map((s) => {
    const mine = states.filter((r) => r.source_id === s.id);
    const latest = mine[0];
    // A tiled source fetches many URLs: failed if any failed at its last run, else the newest state.
    const failed = mine.find((r) => r.status === 'failed' && r.fetched_at.getTime() >= (latest?.fetched_at.getTime() ?? 0) - 60_000 * 60);
    const shown = failed ?? latest;
    return {
      id: s.id,
      title: s.title,
      protocol: s.protocol,
      target: s.target.type === 'areas' ? `areas:${s.target.kind}` : s.target.type === 'raster' ? `raster:${s.target.name}` : `alerts:${s.target.alertSource}`,
      licence: s.licence,
      attribution: s.attribution,
      homepage: s.homepage ?? null,
      setting: s.setting ?? null,
      uncertain: s.uncertain ?? null,
      lastFetch: shown
        ? {
            status: shown.status,
            at: shown.fetched_at.toISOString(),
            message: shown.message,
            urls: mine.length,
            features: mine.reduce<number | null>((n, r) => (r.features === null ? n : (n ?? 0) + r.features), null),
            bytes: mine.reduce<number | null>((n, r) => (r.bytes === null ? n : (n ?? 0) + r.bytes), null),
          }
        : null,
    };
  });
}
