import fs from 'node:fs';
import path from 'node:path';

/**
 * PGlite keeps the whole cluster in one process's memory and writes it back to its folder, so two
 * processes opening the same folder would each overwrite the other's changes. This lock file makes
 * the folder belong to one process: a second one stops with a message instead of corrupting it.
 */
export interface LockHolder {
  pid: number;
  purpose: string;
  url?: string;
  startedAt: string;
}

export class DatabaseBusyError extends Error {
  constructor(
    readonly holder: LockHolder,
    lockFile: string,
  ) {
    super(
      `The embedded database in ${path.dirname(lockFile)} is in use by process ${holder.pid} ` +
        `(${holder.purpose}${holder.url ? ` at ${holder.url}` : ''}, since ${holder.startedAt}). ` +
        'Stop that process first, use its HTTP API, or set DATABASE_URL to work on a PostGIS server.',
    );
    this.name = 'DatabaseBusyError';
  }
}

export interface EmbeddedLock {
  readonly file: string;
  update(patch: Partial<LockHolder>): void;
  release(): void;
}

/** Whether a process with that pid exists (EPERM: it exists but belongs to another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLockHolder(dir: string): LockHolder | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'atalaya.lock'), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

/** Takes the folder's lock or throws DatabaseBusyError; a lock left by a dead process is taken over. */
export function acquireEmbeddedLock(dir: string, purpose: string): EmbeddedLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'atalaya.lock');
  let holder: LockHolder = { pid: process.pid, purpose, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // 'wx' creates the file only if it does not exist: the atomic step that decides the owner.
      fs.writeFileSync(file, JSON.stringify(holder), { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const current = readLockHolder(dir);
        if (current?.pid === process.pid) fs.rmSync(file, { force: true });
      };
      process.once('exit', release);
      return {
        file,
        update(patch) {
          holder = { ...holder, ...patch };
          fs.writeFileSync(file, JSON.stringify(holder));
        },
        release,
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const existing = readLockHolder(dir);
      if (existing && existing.pid !== process.pid && isAlive(existing.pid)) {
        throw new DatabaseBusyError(existing, file);
      }
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not take the lock ${file}; remove it if no Atalaya process is running.`);
}
