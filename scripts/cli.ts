// Shared start-up for command-line tasks: config, database, and one clear line on failure.
import { ConfigError, loadConfig, type Config } from '../server/config';
import { openDatabase, type DatabaseHandle } from '../server/db/database';
import { DatabaseBusyError, isAlive, readLockHolder } from '../server/db/embedded_lock';

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

/**
 * The URL of the Atalaya server that holds the embedded database, or undefined when the CLI can open
 * it itself (a PostGIS server has no single owner). With `tokenFor`, a missing ATALAYA_API_TOKEN
 * (a personal API token) stops the command with a message saying what it needs the server for.
 */
export function runningServerUrl(config: Config, tokenFor?: string): string | undefined {
  if (config.databaseUrl) return undefined;
  const holder = readLockHolder(config.dataDir);
  if (!holder || holder.pid === process.pid || !isAlive(holder.pid) || !holder.url) return undefined;
  if (tokenFor && !config.apiToken) {
    console.error(`atalaya: the embedded database is in use by the Atalaya server (process ${holder.pid}) at ${holder.url}. Set ATALAYA_API_TOKEN to a personal API token (sign in, POST /api/auth/tokens) to ${tokenFor} through it, or stop the server first.`);
    process.exit(1);
  }
  return holder.url;
}
