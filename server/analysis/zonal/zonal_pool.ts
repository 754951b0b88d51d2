// A pool of worker threads for batch zonal statistics, so a batch uses every core.
import os from 'node:os';
import type { Piscina } from 'piscina';
import { workerPool } from '../../worker_threads';
import type { ZonalTask, ZonalTaskResult } from './zonal_worker';

export class ZonalPool {
  private pool: Piscina | undefined;
  constructor(private readonly threads = Math.max(1, os.availableParallelism())) {}

  run(task: ZonalTask): Promise<ZonalTaskResult[]> {
    if (!this.pool) {
      this.pool = workerPool(import.meta.url, 'zonal_worker', { minThreads: 1, maxThreads: this.threads, idleTimeout: 60_000 });
    }
    return this.pool.run(task) as Promise<ZonalTaskResult[]>;
  }

  get size(): number {
    return this.threads;
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = undefined;
  }
}
