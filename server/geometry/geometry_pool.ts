// Worker threads that validate, repair and buffer user geometry with a time limit that holds:
// a task still running at the limit has its thread terminated (Piscina does that when a running
// task is aborted) and a fresh thread takes the next one. Tasks wait here, not in Piscina, so the
// limit counts running time only, and the wait itself is bounded (in length and in time): 503.
import os from 'node:os';
import type { Piscina } from 'piscina';
import { workerPool } from '../worker_threads';
import { AppError } from '../errors';
import { DEFAULT_GEOMETRY_TIME_LIMIT_MS } from './limits';
import type { PrepareTask, PreparedGeometry } from './prepare_task';

export interface GeometryPoolOptions {
  /** Longest one geometry may take to repair and buffer, ms (default DEFAULT_GEOMETRY_TIME_LIMIT_MS). */
  timeLimitMs?: number;
  threads?: number;
  /** Tasks that may wait for a thread; more are refused with 503. */
  maxWaiting?: number;
  /** Longest a task waits for a thread before it is refused with 503 (default 1.5 x the time limit). */
  maxWaitMs?: number;
}

export class GeometryPool {
  private pool: Piscina | undefined;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  readonly threads: number;
  private readonly maxWaiting: number;
  private readonly maxWaitMs: number;
  private readonly timeLimitMs: number;

  constructor(options: GeometryPoolOptions = {}) {
    // One core stays for the HTTP thread and the embedded database.
    this.threads = options.threads ?? Math.max(1, os.availableParallelism() - 1);
    this.maxWaiting = options.maxWaiting ?? 8 * this.threads;
    this.timeLimitMs = options.timeLimitMs ?? DEFAULT_GEOMETRY_TIME_LIMIT_MS;
    this.maxWaitMs = options.maxWaitMs ?? 1.5 * this.timeLimitMs;
  }


  private piscina(): Piscina {
    if (!this.pool) {
      this.pool = workerPool(import.meta.url, 'geos_worker', { minThreads: 0, maxThreads: this.threads, idleTimeout: 60_000 });
    }
    return this.pool;
  }

  private async slot(): Promise<void> {
    if (this.running < this.threads) {
      this.running++;
      return;
    }
    if (this.waiting.length >= this.maxWaiting) {
      throw new AppError('database_busy', 'The server is busy with other geometries; try again in a few seconds.');
    }
    // A wait is bounded too: past it the caller hears "busy" rather than waiting for minutes.
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(grant), 1);
        reject(new AppError('database_busy', `The server has been busy with other geometries for ${Math.round(this.maxWaitMs / 1000)} s; try again in a minute.`));
      }, this.maxWaitMs);
      this.waiting.push(grant);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  /** A fresh thread loading GEOS (after a stop, or the first use): awaited before a task's clock starts. */
  private warming: Promise<unknown> | undefined;

  private warm(): Promise<unknown> {
    this.warming ??= this.piscina().run(null, { name: 'warmUp' }).catch(() => undefined);
    return this.warming;
  }

  async run(task: PrepareTask): Promise<PreparedGeometry> {
    await this.slot();
    // The time limit is for the geometry's work: a thread that is still starting (loading GEOS,
    // slow on a loaded machine) does not count against it.
    await this.warm();
    const signal = AbortSignal.timeout(this.timeLimitMs);
    try {
      return (await this.piscina().run(task, { signal })) as PreparedGeometry;
    } catch (e) {
      if (signal.aborted) {
        this.warming = undefined; // the stopped thread is replaced: warm its successor first
        throw new AppError(
          'unprocessable',
          `Repairing${task.bufferM > 0 ? ` and buffering (${task.bufferM} m)` : ''} this geometry took longer than ${this.timeLimitMs / 1000} s and was stopped: it is too intricate (self-intersections, spikes). Simplify it or fix its self-intersections, then send it again.`,
        );
      }
      throw new AppError('unprocessable', `The geometry cannot be processed: ${(e as Error).message}`);
    } finally {
      this.release();
    }
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = undefined;
  }
}
