import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseBusyError, acquireEmbeddedLock, readLockHolder } from '../../../../server/db/embedded_lock';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-lock-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('embedded database lock', () => {
  it('is held by one process: another live process gets DatabaseBusyError naming the holder', async () => {
    const dir = tempDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      fs.writeFileSync(path.join(dir, 'atalaya.lock'), JSON.stringify({ pid: other.pid, purpose: 'atalaya server', url: 'http://localhost:8080', startedAt: '2026-01-01T00:00:00Z' }));
      expect(() => acquireEmbeddedLock(dir, 'db:migrate')).toThrow(DatabaseBusyError);
      expect(() => acquireEmbeddedLock(dir, 'db:migrate')).toThrow(new RegExp(`process ${other.pid} \\(atalaya server at http://localhost:8080`));
    } finally {
      other.kill();
    }
  });

  it('takes over a lock left by a process that died (kill -9 leaves one behind)', async () => {
    const dir = tempDir();
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.once('exit', resolve));
    fs.writeFileSync(path.join(dir, 'atalaya.lock'), JSON.stringify({ pid: dead.pid, purpose: 'atalaya server', startedAt: 'then' }));
    const lock = acquireEmbeddedLock(dir, 'tests');
    expect(readLockHolder(dir)?.pid).toBe(process.pid);
    lock.release();
    expect(fs.existsSync(path.join(dir, 'atalaya.lock'))).toBe(false);
  });

  it('records the server URL once known, for the message a blocked CLI prints', () => {
    const dir = tempDir();
    const lock = acquireEmbeddedLock(dir, 'atalaya server');
    lock.update({ url: 'http://localhost:9999' });
    expect(readLockHolder(dir)).toMatchObject({ pid: process.pid, purpose: 'atalaya server', url: 'http://localhost:9999' });
    lock.release();
  });
});
