import type { Clock } from '../lib/index.js';

/**
 * Waits `ms` on the clock. Resolves `true` when the time has passed, or `false` as soon as any of the
 * signals aborts (at once if one already has); the timer is cancelled then. Never rejects.
 */
export function clockSleep(clock: Clock, ms: number, ...signals: AbortSignal[]): Promise<boolean> {
  if (signals.some((s) => s.aborted)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const finish = (elapsed: boolean) => {
      cancel();
      for (const s of signals) s.removeEventListener('abort', onAbort);
      resolve(elapsed);
    };
    const onAbort = () => finish(false);
    const cancel = clock.setTimer(() => finish(true), Math.max(0, ms));
    for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
  });
}
