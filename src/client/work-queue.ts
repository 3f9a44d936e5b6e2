import type { Clock } from '../lib/index.js';
import { realClock } from '../lib/index.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface WorkQueueOptions<K> {
  /** Time for `addAfter` and the default rate limiter; the real clock by default. */
  clock?: Clock;
  /** Delays for `addRateLimited`; `defaultControllerRateLimiter` by default. */
  rateLimiter?: RateLimiter<K>;
}

interface Waiting {
  readyAt: number;
  cancel: () => void;
}

/**
 * client-go's rate-limited, delaying work queue.
 *
 * Contract:
 * - A key is queued at most once: adding a key that is already waiting in the queue does nothing.
 * - A key is handed to one worker at a time: a key added while it is being processed (between `get` and
 *   `done`) is remembered and queued again when `done` is called.
 * - Otherwise keys come out in the order they were added; pending `get` calls are served in call order.
 * - `addAfter` adds the key once `ms` have passed on the clock; for a key already waiting, the earlier
 *   due time wins. `addRateLimited` is `addAfter` with the rate limiter's delay; `forget` clears the key's
 *   failure history (call it when the key was processed successfully).
 * - After `shutDown`, adds are ignored and delayed adds are dropped, but keys already queued are still
 *   handed out; `get` resolves `undefined` once the queue is empty. `shutDown` is idempotent.
 */
export class WorkQueue<K extends string> {
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter<K>;
  private readonly queue: K[] = [];
  private head = 0;
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly getters: ((key: K | undefined) => void)[] = [];
  private readonly waiting = new Map<K, Waiting>();
  private drainWaiters: (() => void)[] = [];
  private shuttingDownFlag = false;

  constructor(options: WorkQueueOptions<K> = {}) {
    this.clock = options.clock ?? realClock;
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<K>({ clock: this.clock });
  }

  /** Marks the key as needing processing. */
  add(key: K): void {
    if (this.shuttingDownFlag || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.enqueue(key);
  }

  /** Resolves with the next key to process, which the caller must pass to `done`; `undefined` after shutdown once drained. */
  get(): Promise<K | undefined> {
    const key = this.dequeue();
    if (key !== undefined) return Promise.resolve(key);
    if (this.shuttingDownFlag) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Ends processing of the key; a key added meanwhile is queued again. */
  done(key: K): void {
    if (!this.processing.delete(key)) return;
    if (this.dirty.has(key)) this.enqueue(key);
    else if (this.processing.size === 0) this.notifyDrained();
  }

  /** How many keys are queued (not counting those being processed or waiting for a delay). */
  len(): number {
    return this.queue.length - this.head;
  }

  /** Adds the key after `ms` milliseconds; an earlier pending due time for the same key wins. */
  addAfter(key: K, ms: number): void {
    if (this.shuttingDownFlag) return;
    if (!(ms > 0)) {
      this.add(key);
      return;
    }
    const readyAt = this.clock.now() + ms;
    const existing = this.waiting.get(key);
    if (existing) {
      if (existing.readyAt <= readyAt) return;
      existing.cancel();
    }
    const cancel = this.clock.setTimer(() => {
      this.waiting.delete(key);
      this.add(key);
    }, ms);
    this.waiting.set(key, { readyAt, cancel });
  }

  /** Adds the key after the rate limiter's delay for it. */
  addRateLimited(key: K): void {
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Clears the key's failure history in the rate limiter. */
  forget(key: K): void {
    this.rateLimiter.forget(key);
  }

  /** How many times the key has been rate-limited since it was last forgotten. */
  numRequeues(key: K): number {
    return this.rateLimiter.numRequeues(key);
  }

  /** Stops accepting keys; pending `get` calls on an empty queue resolve `undefined`. */
  shutDown(): void {
    if (this.shuttingDownFlag) return;
    this.shuttingDownFlag = true;
    for (const w of this.waiting.values()) w.cancel();
    this.waiting.clear();
    for (const resolve of this.getters.splice(0)) resolve(undefined);
  }

  /** `shutDown`, then resolves once no key is being processed. */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  shuttingDown(): boolean {
    return this.shuttingDownFlag;
  }

  private enqueue(key: K): void {
    const getter = this.getters.shift();
    if (getter) {
      this.startProcessing(key);
      getter(key);
      return;
    }
    this.queue.push(key);
  }

  private dequeue(): K | undefined {
    if (this.head >= this.queue.length) return undefined;
    const key = this.queue[this.head] as K;
    this.head++;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.startProcessing(key);
    return key;
  }

  private startProcessing(key: K): void {
    this.processing.add(key);
    this.dirty.delete(key);
  }

  private notifyDrained(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
