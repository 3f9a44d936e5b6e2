import type { CachedObject, CacheEvent } from './cached-object.js';

/** Which objects a watcher (or a list) wants; `matches` is evaluated against each object version. */
export interface CacheFilter {
  /** Only keys under this prefix (a namespace's prefix, or one object's key). */
  readonly keyPrefix?: string;
  readonly matches?: (obj: CachedObject) => boolean;
}

export type WatchMessage = CacheEvent | { readonly type: 'BOOKMARK'; readonly revision: number; readonly initialEventsEnd?: boolean };

/**
 * One client's watch on the cache: events are filtered here (with selector transitions: an object that stops
 * matching is DELETED for this watcher, one that starts matching is ADDED) and queued for the consumer.
 * A consumer that lets `maxQueue` events pile up is closed, as upstream closes a too-slow watcher; it resumes
 * from the last resourceVersion it saw.
 */
export class CacheWatcher implements AsyncIterable<WatchMessage> {
  private queue: WatchMessage[] = [];
  private wake: (() => void) | undefined;
  private closed = false;
  /** The revision of the last event this watcher was offered (delivered or filtered out). */
  lastRevision: number;

  constructor(
    private readonly filter: CacheFilter,
    afterRevision: number,
    private readonly maxQueue: number,
    private readonly onClose: (w: CacheWatcher) => void,
  ) {
    this.lastRevision = afterRevision;
  }

  /** Offers one cache event; returns false when the watcher has been closed. */
  offer(ev: CacheEvent): boolean {
    if (this.closed) return false;
    this.lastRevision = ev.revision;
    const { keyPrefix, matches } = this.filter;
    if (keyPrefix !== undefined && !ev.key.startsWith(keyPrefix)) return true;
    const now = ev.type !== 'DELETED' && (matches === undefined || matches(ev.object));
    const before = ev.prev !== undefined && (matches === undefined || matches(ev.prev));
    if (ev.type === 'DELETED') {
      if (matches === undefined || matches(ev.object)) this.push(ev);
    } else if (now && before) this.push(ev);
    else if (now) this.push({ ...ev, type: 'ADDED' });
    else if (before) this.push({ type: 'DELETED', revision: ev.revision, key: ev.key, object: ev.prev!.atRevision(ev.revision), prev: ev.prev });
    return !this.closed;
  }

  /** Delivers an event as is (initial state, replay); the caller has filtered it. */
  push(msg: WatchMessage): void {
    if (this.closed) return;
    if (this.queue.length >= this.maxQueue) {
      this.close();
      return;
    }
    this.queue.push(msg);
    this.wake?.();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.wake?.();
    this.onClose(this);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchMessage> {
    try {
      for (;;) {
        if (this.queue.length > 0) {
          const batch = this.queue;
          this.queue = [];
          for (const msg of batch) yield msg;
          continue;
        }
        if (this.closed) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    } finally {
      this.close();
    }
  }
}
