// The embedded PostGIS on its own thread: the main thread's event loop runs while a statement does,
// errors keep their PostgreSQL fields, and a thread that dies fails its waiting queries with a 503
// error and is started again (on the same folder, with what was committed) by the next query.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RemotePGlite } from '../../../../server/db/embedded/remote_pglite';

describe('RemotePGlite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atalaya-remote-pglite-'));
  let db: RemotePGlite | undefined;
  afterAll(async () => {
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers queries on its own thread, with errors that keep their code, and survives the thread dying', async () => {
    db = await RemotePGlite.create(path.join(dir, 'pgdata'));
    await db.query('CREATE TABLE t (n int)');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES ($1), ($2)', [1, 2]);
    });
    await expect(db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (3)');
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    expect((await db.query<{ n: number }>('SELECT n FROM t ORDER BY n')).rows).toEqual([{ n: 1 }, { n: 2 }]);
    await expect(db.query('SELECT 1/0')).rejects.toMatchObject({ code: '22012' });

    // The event loop turns while a long statement runs.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const long = db.query('SELECT count(*) FROM generate_series(1, 3000000)');
    await long;
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);

    // The thread dies mid-statement: that query fails with a 503-kind error; the next one restarts it.
    const worker = (db as unknown as { worker: { terminate(): Promise<number> } }).worker;
    const dying = db.query('SELECT count(*) FROM generate_series(1, 30000000)');
    await new Promise((r) => setTimeout(r, 200));
    await worker.terminate();
    await expect(dying).rejects.toMatchObject({ code: 'database_unavailable' });
    expect((await db.query<{ n: number }>('SELECT n FROM t ORDER BY n')).rows).toEqual([{ n: 1 }, { n: 2 }]);
  }, 180_000);
});
