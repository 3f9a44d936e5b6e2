import type { Clock } from '../lib/index.js';

/**
 * CrashLoopBackOff delays per container (client-go's flowcontrol.Backoff as the kubelet uses it): the first restart
 * is immediate, then base, 2×base … up to max; an entry not touched for 2×max (10 minutes by default) starts over.
 */
export class ContainerBackoff {
  private readonly entries = new Map<string, { delayMs: number; lastUpdate: number }>();

  constructor(
    private readonly clock: Clock,
    readonly baseMs = 10_000,
    readonly maxMs = 300_000,
  ) {}

  /** The current delay of `key` (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** How long `key` must still wait when its last run finished at `finishedAt` (0: it may restart now). */
  remaining(key: string, finishedAt: number): number {
    const entry = this.entries.get(key);
    if (!entry) return 0;
    return Math.max(0, entry.delayMs - (this.clock.now() - finishedAt));
  }

  /** Records a restart of `key` whose last run finished at `finishedAt`: the next delay doubles (or starts over). */
  next(key: string, finishedAt: number): void {
    const entry = this.entries.get(key);
    if (!entry || finishedAt - entry.lastUpdate > 2 * this.maxMs) {
      this.entries.set(key, { delayMs: this.baseMs, lastUpdate: this.clock.now() });
    } else {
      entry.delayMs = Math.min(entry.delayMs * 2, this.maxMs);
      entry.lastUpdate = this.clock.now();
    }
  }

  /** Forgets every key with this prefix (a Pod's uid). */
  forget(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
