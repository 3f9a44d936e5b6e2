import type { StorageEvent } from '../storage.js';

/**
 * The most recent committed events of the whole store, in revision order, and the watchers waiting for the
 * next one. Watchers read it by revision, so a slow watcher never holds anyone up: once its position has
 * left the ring it reads the log from the database instead.
 */
export class EventRing {
  private events: StorageEvent[] = [];
  private head = 0;
  private waiters = new Set<() => void>();

  /** The ring holds every event with a revision greater than this. */
  private floor: number;

  constructor(
    private readonly capacity: number,
    startRevision: number,
  ) {
    this.floor = startRevision;
  }

  /** Appends events (in revision order, after every event already held) and wakes every waiter. */
  append(events: readonly StorageEvent[]): void {
    for (const ev of events) this.events.push(ev);
    const excess = this.events.length - this.head - this.capacity;
    if (excess > 0) {
      this.head += excess;
      this.floor = this.events[this.head - 1]!.revision;
    }
    if (this.head > this.capacity) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
    this.wake();
  }

  /** Every event with a revision greater than this is held. */
  completeAfter(): number {
    return this.floor;
  }

  /** Events with revision > `after`, at most `max` of them, or undefined when some of them are no longer held. */
  since(after: number, max: number): StorageEvent[] | undefined {
    if (after < this.floor) return undefined;
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid]!.revision <= after) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo, Math.min(lo + max, this.events.length));
  }

  /** Resolves at the next append, at `wake()`, or when the signal aborts. */
  next(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
