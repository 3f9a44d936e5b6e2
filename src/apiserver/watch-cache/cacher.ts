import { ApiError } from '../../api/index.js';
import { isStorageError, type KeyValue, type Storage, type StorageEvent } from '../../storage/index.js';
import type { CachedObject, CacheEvent } from './cached-object.js';
import { CacheWatcher, type CacheFilter } from './cache-watcher.js';

export interface CacherOptions {
  readonly storage: Storage;
  /** The resource's storage prefix, e.g. `/registry/pods/`. */
  readonly prefix: string;
  /** Turns a stored value into the object clients see (resourceVersion set to the revision). */
  readonly decode: (kv: KeyValue) => CachedObject;
  /** How many recent events are kept for watchers that resume (default 10,000). */
  readonly historySize?: number;
  /** How many undelivered events a watcher may accumulate before it is closed (default 10,000). */
  readonly maxWatcherQueue?: number;
  readonly onError?: (err: unknown) => void;
}

/**
 * The watch cache of one resource, as upstream's Cacher: fed by one storage watch, it holds the current objects
 * and a window of recent events, serves lists and watches, and fans every event out to the watchers, whose
 * JSON is produced once per object version.
 */
export class Cacher {
  private readonly objects = new Map<string, CachedObject>();
  private sortedKeys: string[] | undefined;
  private history: CacheEvent[] = [];
  /** Every event with a revision above this is in `history`. */
  private historyFloor = 0;
  private readonly watchers = new Set<CacheWatcher>();
  private revision = 0;
  private progress = 0;
  private progressWaiters: { rev: number; resolve: () => void }[] = [];
  private isReady = false;
  private readyWaiters: (() => void)[] = [];

  constructor(private readonly opts: CacherOptions) {}

  /** Lists, then watches from the list's revision; relists when the watch fails. Runs until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.relist();
        for await (const ev of this.opts.storage.watch(this.opts.prefix, this.revision, {
          signal,
          onProgress: (rev) => this.advance(rev),
        })) {
          this.apply(ev);
        }
      } catch (err) {
        if (signal.aborted) break;
        if (!isStorageError(err)) this.opts.onError?.(err);
        await new Promise((r) => setTimeout(r, 100).unref());
      }
    }
    for (const w of [...this.watchers]) w.close();
  }

  ready(): boolean {
    return this.isReady;
  }

  whenReady(): Promise<void> {
    return this.isReady ? Promise.resolve() : new Promise((r) => this.readyWaiters.push(r));
  }

  /** The revision the cache is known to be current at. */
  currentRevision(): number {
    return Math.max(this.revision, this.progress);
  }

  /** Whether the cached objects are exactly the state at `rev`: the cache is current there and nothing changed since. */
  unchangedSince(rev: number): boolean {
    return this.isReady && this.revision <= rev && this.currentRevision() >= rev;
  }

  /** Waits until the cache is current at `rev`; false when it is not within `timeoutMs`. */
  async waitUntilFresh(rev: number, timeoutMs: number): Promise<boolean> {
    if (this.isReady && this.currentRevision() >= rev) return true;
    return new Promise((resolve) => {
      const waiter = { rev, resolve: () => resolve(true) };
      this.progressWaiters.push(waiter);
      setTimeout(() => {
        this.progressWaiters = this.progressWaiters.filter((w) => w !== waiter);
        resolve(this.isReady && this.currentRevision() >= rev);
      }, timeoutMs).unref();
    });
  }

  get(key: string): CachedObject | undefined {
    return this.objects.get(key);
  }

  /** Current objects under the filter, in key order, starting at `startKey` (inclusive). */
  list(filter: CacheFilter, startKey?: string): CachedObject[] {
    const keys = this.keys();
    const from = startKey !== undefined && (filter.keyPrefix === undefined || startKey > filter.keyPrefix) ? startKey : (filter.keyPrefix ?? '');
    const out: CachedObject[] = [];
    for (let i = lowerBound(keys, from); i < keys.length; i++) {
      const key = keys[i]!;
      if (filter.keyPrefix !== undefined && !key.startsWith(filter.keyPrefix)) break;
      const obj = this.objects.get(key)!;
      if (filter.matches === undefined || filter.matches(obj)) out.push(obj);
    }
    return out;
  }

  /**
   * A watch of the changes after `afterRevision`, or with `initialState`, ADDED events for the current
   * objects first. Throws 410 Expired when that history is gone and 504 when the revision is in the future.
   */
  async watch(filter: CacheFilter, from: { afterRevision: number } | { initialState: true }, maxWaitMs = 3000): Promise<CacheWatcher> {
    if ('afterRevision' in from && from.afterRevision > this.currentRevision()) {
      if (!(await this.waitUntilFresh(from.afterRevision, maxWaitMs))) {
        throw ApiError.tooLargeResourceVersion(from.afterRevision, this.currentRevision());
      }
    }
    const after = 'afterRevision' in from ? from.afterRevision : this.revision;
    if (after < this.historyFloor) {
      throw ApiError.resourceExpired(`too old resource version: ${after} (${this.historyFloor})`);
    }
    const w = new CacheWatcher(filter, after, this.opts.maxWatcherQueue ?? 10_000, (x) => this.watchers.delete(x));
    if ('initialState' in from) {
      for (const obj of this.list(filter)) w.push({ type: 'ADDED', revision: obj.revision, key: obj.key, object: obj });
    } else {
      for (let i = lowerBoundRevision(this.history, after + 1); i < this.history.length; i++) w.offer(this.history[i]!);
    }
    this.watchers.add(w);
    return w;
  }

  /** How many objects the cache holds. */
  size(): number {
    return this.objects.size;
  }


  private async relist(): Promise<void> {
    const res = await this.opts.storage.list(this.opts.prefix);
    for (const w of [...this.watchers]) w.close();
    this.objects.clear();
    this.sortedKeys = undefined;
    for (const kv of res.items) this.objects.set(kv.key, this.opts.decode(kv));
    this.history = [];
    this.historyFloor = res.revision;
    this.revision = res.revision;
    this.advance(res.revision);
    if (!this.isReady) {
      this.isReady = true;
      for (const r of this.readyWaiters.splice(0)) r();
    }
  }

  private apply(ev: StorageEvent): void {
    const prev = this.objects.get(ev.key);
    let event: CacheEvent;
    if (ev.type === 'DELETED') {
      const last = prev ?? this.opts.decode({ key: ev.key, value: ev.value, createRevision: ev.createRevision, modRevision: ev.revision });
      this.objects.delete(ev.key);
      this.sortedKeys = undefined;
      event = { type: 'DELETED', revision: ev.revision, key: ev.key, object: last.atRevision(ev.revision), prev: last };
    } else {
      const kv = { key: ev.key, value: ev.value, createRevision: ev.createRevision, modRevision: ev.revision };
      const obj = this.opts.decode(kv);
      if (!prev) this.sortedKeys = undefined;
      this.objects.set(ev.key, obj);
      event = prev ? { type: 'MODIFIED', revision: ev.revision, key: ev.key, object: obj, prev } : { type: 'ADDED', revision: ev.revision, key: ev.key, object: obj };
    }
    this.history.push(event);
    const max = this.opts.historySize ?? 10_000;
    if (this.history.length > max + max / 4) {
      const drop = this.history.length - max;
      this.historyFloor = this.history[drop - 1]!.revision;
      this.history = this.history.slice(drop);
    }
    this.revision = ev.revision;
    for (const w of this.watchers) w.offer(event);
    prev?.supersede();
    this.advance(ev.revision);
  }

  private advance(rev: number): void {
    if (rev > this.progress) this.progress = rev;
    if (this.progressWaiters.length === 0) return;
    const cur = this.currentRevision();
    const due = this.progressWaiters.filter((w) => w.rev <= cur);
    if (due.length === 0) return;
    this.progressWaiters = this.progressWaiters.filter((w) => w.rev > cur);
    for (const w of due) w.resolve();
  }

  private keys(): string[] {
    this.sortedKeys ??= [...this.objects.keys()].sort();
    return this.sortedKeys;
  }
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBoundRevision(events: readonly CacheEvent[], rev: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.revision < rev) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
