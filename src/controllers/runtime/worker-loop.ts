import type { WorkQueue } from '../../client/index.js';

/** What a reconcile asks for besides success: to be looked at again after a while (level-based, by key). */
export interface ReconcileResult {
  readonly requeueAfterMs?: number;
  /** Look at the key again after its rate-limited backoff, without it counting as an error. */
  readonly requeue?: boolean;
}

/**
 * Reconciles one key to the state its objects ask for. Called for a key by at most one worker at a time; may be
 * called again for the same key at any time (idempotent). Throwing requeues the key with per-key backoff.
 */
export type Reconcile = (key: string) => Promise<ReconcileResult | void>;

/**
 * Runs `workers` loops taking keys from the queue until the signal aborts (the queue is then shut down and the
 * loops end after their current key). Success forgets the key's failures; an error requeues it rate-limited.
 */
export async function runWorkers(queue: WorkQueue<string>, reconcile: Reconcile, workers: number, signal: AbortSignal, log?: (message: string) => void): Promise<void> {
  const stop = () => queue.shutDown();
  if (signal.aborted) stop();
  signal.addEventListener('abort', stop, { once: true });
  const worker = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        const result = await reconcile(key);
        if (result?.requeue) {
          queue.addRateLimited(key);
          continue;
        }
        queue.forget(key);
        if (result?.requeueAfterMs !== undefined && result.requeueAfterMs > 0) queue.addAfter(key, result.requeueAfterMs);
      } catch (err) {
        log?.(`error syncing ${JSON.stringify(key)}, requeuing: ${err instanceof Error ? err.message : String(err)}`);
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, workers) }, worker));
}

/** Waits until every informer has synced (or the signal aborts), then runs the workers: every controller's `run`. */
export async function runWorkersWhenSynced(
  informers: readonly { whenSynced(signal: AbortSignal): Promise<unknown> }[],
  queue: WorkQueue<string>,
  reconcile: Reconcile,
  workers: number,
  signal: AbortSignal,
  log?: (message: string) => void,
): Promise<void> {
  await Promise.all(informers.map((i) => i.whenSynced(signal)));
  if (signal.aborted) return;
  await runWorkers(queue, reconcile, workers, signal, log);
}
