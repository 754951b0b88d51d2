// A range read from the object store that the caller waits for synchronously. Block reads are
// synchronous everywhere the store is read (the zonal scan, overviews, alert statistics run as plain
// loops over block(), on worker threads as well as the server's), so on a block the caller did not
// prefetch the thread hands the request to a helper thread and sleeps on a shared flag until it
// answers (Atomics.wait; the pattern of the synckit package, whose worker start-up cannot take
// tsx's loader the way the server's other threads do: worker_threads.ts). The web paths prefetch
// the blocks of a tile asynchronously first, so this wait is not on them.
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { workerThread } from '../../worker_threads';

const TIMEOUT_MS = 60_000;

interface Reply {
  bytes?: Uint8Array;
  error?: string;
}

let helper: { port: MessagePort; flag: Int32Array } | undefined;
let reads = 0;

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
    helper = undefined;
  });
  return { port: port1, flag };
}

export function readRangeBlocking(key: string, offset: number, length: number, upToEnd = false): Buffer {
  helper ??= start();
  reads++;
  const { port, flag } = helper;
  Atomics.store(flag, 0, 0);
  port.postMessage({ key, offset, length, upToEnd });
  if (Atomics.wait(flag, 0, 0, TIMEOUT_MS) === 'timed-out') throw new Error(`the object store did not answer for ${key} within ${TIMEOUT_MS / 1000} s`);
  const reply = receiveMessageOnPort(port)?.message as Reply | undefined;
  if (!reply?.bytes) throw new Error(`reading ${key}: ${reply?.error ?? 'no answer'}`);
  return Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.length);
}
