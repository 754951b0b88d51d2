// Shared start-up for command-line tasks: config, database, and one clear line on failure.
import { ConfigError, loadConfig, type Config } from '../server/config';
import { openDatabase, type DatabaseHandle } from '../server/db/database';
import { DatabaseBusyError } from '../server/db/embedded_lock';

/** Runs `task` with the configured database, closing it afterwards; exits 1 with a readable message on error. */
export async function runWithDatabase(purpose: string, task: (database: DatabaseHandle, config: Config) => Promise<void>): Promise<void> {
  let database: DatabaseHandle | undefined;
  try {
    const config = loadConfig();
    database = await openDatabase(config, { purpose });
    await task(database, config);
    await database.close();
  } catch (err) {
    await database?.close().catch(() => undefined);
    if (err instanceof ConfigError || err instanceof DatabaseBusyError) console.error(`atalaya: ${err.message}`);
    else console.error(`atalaya: ${purpose} failed:`, err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
