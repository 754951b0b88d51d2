import { isRequestWork } from '../request_context';

/**
 * On a single connection (the embedded database), requests go before background work: a background
 * statement (an import's batch, a statistics job's step) waits to queue for the connection while a
 * request is waiting for it, so a request waits for at most the statement running, not for the
 * background statements queued behind it. Background work goes on whenever no request waits.
 */
export class RequestsFirst {
  constructor(private readonly isRequest: () => boolean = isRequestWork) {}

  private waiting = 0;
  private drained: { promise: Promise<void>; resolve: () => void } | undefined;

  async acquire<T>(acquire: () => Promise<T>): Promise<T> {
    if (!this.isRequest()) {
      while (this.waiting > 0) await this.whenDrained();
      return acquire();
    }
    this.waiting++;
    try {
      return await acquire();
    } finally {
      if (--this.waiting === 0) {
        this.drained?.resolve();
        this.drained = undefined;
      }
    }
  }

  private whenDrained(): Promise<void> {
    if (!this.drained) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.drained = { promise, resolve };
    }
    return this.drained.promise;
  }
}
