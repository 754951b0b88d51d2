// The helper thread of blocking_range_reader.ts: reads a range, posts it, wakes the waiting thread.
import { workerData, type MessagePort } from 'node:worker_threads';
import { rasterObjects, readRange } from './raster_objects';

const { port, flag } = workerData as { port: MessagePort; flag: Int32Array };

port.on('message', (request: { key: string; offset: number; length: number; upToEnd: boolean }) => {
  void (async () => {
    try {
      const objects = rasterObjects();
      if (!objects) throw new Error('ATALAYA_RASTER_STORE is not set in this thread');
      const bytes = new Uint8Array(await readRange(objects, request.key, request.offset, request.length, request.upToEnd));
      port.postMessage({ bytes }, [bytes.buffer]);
    } catch (e) {
      port.postMessage({ error: ((e as Error).cause as Error | undefined)?.message ?? (e as Error).message });
    }
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  })();
});
