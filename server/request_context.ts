// Who is acting, for the database: the audit trigger reads the actor of the transaction, and HTTP
// requests get a statement timeout that background jobs do not. Carried with AsyncLocalStorage so
// no repository or service has to pass it along.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  /** app_user id, or undefined for the public and for the system. */
  userId?: number;
  /** Shown in the audit log when there is no user (a CLI command says who ran it). */
  actorName?: string;
  requestId?: string;
  /** 0 = none (jobs, imports, CLI). */
  statementTimeoutMs: number;
  /** Work that outlives a request (runAsBackground): on the embedded database it lets requests go first. */
  background?: boolean;
}

const store = new AsyncLocalStorage<RequestContext>();

export function currentContext(): RequestContext | undefined {
  return store.getStore();
}

/** Whether the current work is a request's own (not runAsBackground, a job or start-up work). */
export function isRequestWork(): boolean {
  const c = store.getStore();
  return c !== undefined && !c.background;
}

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return store.run(context, fn);
}

/** Work that outlives a request (jobs, recomputations) keeps the actor but drops the request's timeout. */
export function runAsBackground<T>(fn: () => T): T {
  const c = store.getStore();
  return store.run({ ...(c ?? {}), statementTimeoutMs: 0, background: true, requestId: c?.requestId ? `${c.requestId}/background` : undefined } as RequestContext, fn);
}
