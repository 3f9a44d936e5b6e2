import { realClock, type Clock } from '../lib/index.js';
import type { Storage } from './storage.js';

export interface CompactorOptions {
  /** upstream's --etcd-compaction-interval: 5 minutes by default; 0 turns compaction off. */
  readonly intervalMs?: number;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
  /** Told about a failed compaction; the next interval tries again. */
  readonly onError?: (err: unknown) => void;
}

export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60 * 1000;

/**
 * Compacts the store as kube-apiserver does: at every interval, everything older than the revision that was
 * current one interval ago. So at least one interval of history stays available for watchers to resume from.
 */
export function startCompactor(storage: Storage, options: CompactorOptions = {}): Compactor {
  const interval = options.intervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS;
  const clock = options.clock ?? realClock;
  let running: Promise<void> = Promise.resolve();
  const compactor = { whenIdle: () => running };
  if (interval <= 0 || options.signal?.aborted) return compactor;
  let previous: number | undefined;
  let cancel = () => {};
  const run = async () => {
    try {
      if (previous !== undefined) await storage.compact(previous);
      previous = await storage.currentRevision();
    } catch (err) {
      options.onError?.(err);
    }
    if (!options.signal?.aborted) cancel = clock.setTimer(tick, interval);
  };
  const tick = () => {
    running = run();
  };
  options.signal?.addEventListener('abort', () => cancel(), { once: true });
  cancel = clock.setTimer(tick, interval);
  return compactor;
}

export interface Compactor {
  /** Settles when the compaction under way (if any) has finished. */
  whenIdle(): Promise<void>;
}
