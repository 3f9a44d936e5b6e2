import type { Clock } from '../lib/index.js';
import { Indexer, objectKey, type IndexFunc } from './indexer.js';
import { Reflector, type ListerWatcher, type ReflectorSink } from './reflector.js';
import type { KubeObject } from './rest-client.js';

/**
 * What an informer tells its handlers, in the order the cache changed. Handlers run synchronously on the informer's
 * turn and must be quick (enqueue a key, nothing more); they must not modify the objects.
 */
export interface EventHandler<T> {
  /** `initialList` is true for objects of the first list, and for the cache delivered to a handler added after it (not for a relist). */
  onAdd?(obj: T, initialList: boolean): void;
  /** Also called with old === new on a periodic resync. */
  onUpdate?(oldObj: T, newObj: T): void;
  /** `finalStateUnknown`: the deletion was noticed by a relist, so `obj` is the last state the cache knew. */
  onDelete?(obj: T, finalStateUnknown: boolean): void;
}

export interface SharedInformerOptions {
  readonly clock: Clock;
  /** Resync every handler this often (0: never). */
  readonly resyncPeriodMs?: number;
  readonly log?: (message: string) => void;
  readonly name?: string;
}

/**
 * One list-watch of a collection shared by every handler in the process, with an indexed cache. `hasSynced` turns
 * true once the first list is in the cache and has been delivered to the handlers.
 */
export class SharedInformer<T extends KubeObject> {
  readonly store = new Indexer<T>();
  private readonly handlers = new Set<EventHandler<T>>();
  private synced = false;
  private started = false;
  private readonly syncWaiters: (() => void)[] = [];

  constructor(
    private readonly lw: ListerWatcher<T>,
    private readonly opts: SharedInformerOptions,
  ) {}

  /** Registers a handler; objects already cached are delivered to it as adds at once. Returns its removal. */
  addEventHandler(handler: EventHandler<T>): () => void {
    this.handlers.add(handler);
    if (this.synced) for (const obj of this.store.list()) this.call(handler, (h) => h.onAdd?.(obj, true));
    return () => this.handlers.delete(handler);
  }

  addIndexers(indexers: Record<string, IndexFunc<T>>): void {
    this.store.addIndexers(indexers);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves when synced, or when the signal aborts. */
  whenSynced(signal?: AbortSignal): Promise<void> {
    if (this.synced || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      this.syncWaiters.push(resolve);
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Lists and watches until the signal aborts. Runs once per informer. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error('informer already started');
    this.started = true;
    const reflector = new Reflector<T>(this.lw, this.sink(), { clock: this.opts.clock, log: this.opts.log, name: this.opts.name });
    const stopResync = this.scheduleResync(signal);
    try {
      await reflector.run(signal);
    } finally {
      stopResync();
    }
  }

  private sink(): ReflectorSink<T> {
    return {
      replace: (items, _rv) => {
        const seen = new Set<string>();
        const initial = !this.synced;
        for (const obj of items) {
          const key = objectKey(obj);
          seen.add(key);
          const old = this.store.set(obj);
          if (!old) this.each((h) => h.onAdd?.(obj, initial));
          else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.each((h) => h.onUpdate?.(old, obj));
        }
        for (const key of this.store.keys()) {
          if (seen.has(key)) continue;
          const old = this.store.delete(key)!;
          this.each((h) => h.onDelete?.(old, true));
        }
        if (initial) {
          this.synced = true;
          for (const w of this.syncWaiters.splice(0)) w();
        }
      },
      added: (obj) => this.apply(obj),
      modified: (obj) => this.apply(obj),
      deleted: (obj) => {
        this.store.delete(objectKey(obj));
        this.each((h) => h.onDelete?.(obj, false));
      },
    };
  }

  private apply(obj: T): void {
    const old = this.store.set(obj);
    if (old) this.each((h) => h.onUpdate?.(old, obj));
    else this.each((h) => h.onAdd?.(obj, false));
  }

  private each(fn: (h: EventHandler<T>) => void): void {
    for (const h of this.handlers) this.call(h, fn);
  }

  /** Runs one handler; its failure is logged and never reaches the informer or the other handlers. */
  private call(h: EventHandler<T>, fn: (h: EventHandler<T>) => void): void {
    try {
      fn(h);
    } catch (err) {
      this.opts.log?.(`informer ${this.opts.name ?? ''}: handler failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }

  private scheduleResync(signal: AbortSignal): () => void {
    const period = this.opts.resyncPeriodMs ?? 0;
    if (period <= 0) return () => {};
    let cancel = () => {};
    const tick = () => {
      if (signal.aborted) return;
      if (this.synced) for (const obj of this.store.list()) this.each((h) => h.onUpdate?.(obj, obj));
      cancel = this.opts.clock.setTimer(tick, period);
    };
    cancel = this.opts.clock.setTimer(tick, period);
    return () => cancel();
  }
}
