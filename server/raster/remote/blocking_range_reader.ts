// A range read from the object store that the caller waits for synchronously. Block reads are
// synchronous everywhere the store is read (the zonal scan, overviews, alert statistics run as plain
// loops over block(), on worker threads as well as the server's), so on a block the caller did not
// prefetch the thread hands the request to a helper thread and sleeps on a shared flag until it
// answers (Atomics.wait; the pattern of the synckit package, whose worker start-up cannot take
// tsx's loader the way the server's other threads do: worker_threads.ts). The web paths prefetch
// the blocks of a tile asynchronously first, so this wait is not on them.
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { StorageUnavailableError } from '../../errors';
import { workerThread } from '../../worker_threads';

/** Past the S3 client's own request timeout (30 s), so its error, not this wait, ends a slow read. */
const TIMEOUT_MS = 40_000;
/** After a failed read, reads fail at once for this long: a thread never waits on a store that is down, read after read. */
const PAUSE_AFTER_FAILURE_MS = 15_000;

interface Reply {
  bytes?: Uint8Array;
  error?: string;
}

let helper: { port: MessagePort; flag: Int32Array; worker: Worker } | undefined;
let reads = 0;
let failedAt = -Infinity;
let lastFailure = '';

/** Blocking reads this thread has made (tests: a prefetched tile makes none). */
export function blockingReads(): number {
  return reads;
}

function start() {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = workerThread(import.meta.url, 'range_read_worker', { workerData: { port: port2, flag }, transferList: [port2] });
  worker.unref();
  port1.unref();
  worker.on('exit', () => {
    if (helper?.worker === worker) helper = undefined;
  });
  return { port: port1, flag, worker };
}

export function readRangeBlocking(key: string, offset: number, length: number, upToEnd = false): Buffer {
  if (Date.now() - failedAt < PAUSE_AFTER_FAILURE_MS) throw new StorageUnavailableError(lastFailure);
  helper ??= start();
  reads++;
  const { port, flag } = helper;
  Atomics.store(flag, 0, 0);
  port.postMessage({ key, offset, length, upToEnd });
  let failure: string | undefined;
  let reply: Reply | undefined;
  if (Atomics.wait(flag, 0, 0, TIMEOUT_MS) === 'timed-out') {
    failure = `no answer for ${key} within ${TIMEOUT_MS / 1000} s`;
    void helper?.worker.terminate(); // its answer, if it ever came, must not be taken for the next read's
    helper = undefined;
  } else {
    reply = receiveMessageOnPort(port)?.message as Reply | undefined;
    if (!reply?.bytes) failure = reply?.error ?? `no answer for ${key}`;
  }
  if (failure !== undefined || !reply?.bytes) {
    failedAt = Date.now();
    lastFailure = failure ?? 'no answer';
    throw new StorageUnavailableError(lastFailure);
  }
  return Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.length);
}
