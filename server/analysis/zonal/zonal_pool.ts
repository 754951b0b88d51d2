// A pool of worker threads for batch zonal statistics, so a batch uses every core.
import os from 'node:os';
import { Piscina } from 'piscina';
import type { ZonalTask, ZonalTaskResult } from './zonal_worker';

export class ZonalPool {
  private pool: Piscina | undefined;
  constructor(private readonly threads = Math.max(1, os.availableParallelism())) {}

  run(task: ZonalTask): Promise<ZonalTaskResult[]> {
    if (!this.pool) {
      const filename = new URL(import.meta.url.endsWith('.ts') ? './zonal_worker.ts' : './zonal_worker.js', import.meta.url).href;
      // Under tsx or vitest the worker is TypeScript: load it through tsx as the main thread does.
      this.pool = new Piscina({ filename, minThreads: 1, maxThreads: this.threads, idleTimeout: 60_000, ...(filename.endsWith('.ts') ? { execArgv: ['--import', 'tsx'] } : {}) });
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
