// The thread that owns the embedded PostGIS: opens PGlite on its folder and answers queries one at
// a time, in the order they arrive (the main thread already serialises them: one connection).
import { parentPort, workerData } from 'node:worker_threads';
import { serialiseError, type FromWorker, type ToWorker, type WorkerInit } from './protocol';

const port = parentPort!;
const { dir } = workerData as WorkerInit;
const send = (m: FromWorker) => port.postMessage(m);

try {
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgis } = await import('@electric-sql/pglite-postgis');
  const pglite = await PGlite.create(dir, { extensions: { postgis } });
  port.on('message', (m: ToWorker) => {
    if (m.type === 'close') {
      void pglite.close().then(
        () => send({ type: 'closed', id: m.id }),
        (e: unknown) => send({ type: 'error', id: m.id, error: serialiseError(e) }),
      );
      return;
    }
    pglite.query(m.sql, m.params, { rowMode: 'object' }).then(
      (r) => send({ type: 'result', id: m.id, result: { rows: r.rows, ...(r.affectedRows !== undefined ? { affectedRows: r.affectedRows } : {}), fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })) } }),
      (e: unknown) => send({ type: 'error', id: m.id, error: serialiseError(e) }),
    );
  });
  send({ type: 'ready' });
} catch (e) {
  send({ type: 'failed', error: serialiseError(e) });
}
