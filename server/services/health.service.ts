// /api/health answers within about a second whatever the database is doing: versions and the
// migration level are read once and kept (they change only with a restart), and the database is
// pinged with a one-second deadline: no answer in time is "busy", a lost connection is a 503.
import type { Health } from '../api';
import type { DatabaseHandle } from '../db/database';
import { latestMigration } from '../db/migrate';
import { pingDatabase, probeMvtSupport, readDatabaseVersions, type DatabaseVersions } from '../db/repositories/health.repository';

const PING_DEADLINE_MS = 1000;

export class HealthService {
  private info: Promise<DatabaseVersions & { mvt: boolean }> | undefined;
  /** The ping in flight: health checks arriving while the database is busy share it, not queue more. */
  private ping: Promise<'answered'> | undefined;

  constructor(private readonly database: DatabaseHandle) {}

  /** Reads the versions now (at start-up), so the first health check need not. */
  prime(): void {
    void this.versions().catch(() => undefined);
  }

  private versions(): Promise<DatabaseVersions & { mvt: boolean }> {
    this.info ??= Promise.all([readDatabaseVersions(this.database.db), probeMvtSupport(this.database.db)]).then(([v, mvt]) => ({ ...v, mvt }));
    this.info.catch(() => (this.info = undefined)); // read again next time
    return this.info;
  }

  async health(): Promise<Health> {
    const deadline = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), PING_DEADLINE_MS).unref());
    // A ping that fails (connection lost) rejects: the error middleware answers 503.
    const ping = (this.ping ??= pingDatabase(this.database.db)
      .then(() => 'answered' as const)
      .finally(() => (this.ping = undefined)));
    ping.catch(() => undefined);
    const [answer, info] = await Promise.all([Promise.race([ping, deadline]), Promise.race([this.versions(), deadline])]);
    const responding = answer === 'answered';
    const versions = info === 'late' ? { postgres: 'unknown', postgis: 'unknown', migration: null, mvt: false } : info;
    return {
      status: responding ? 'ok' : 'busy',
      database: { responding, kind: this.database.kind, ...versions, latestMigration },
    };
  }
}
