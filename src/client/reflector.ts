import { ApiError } from '../api/index.js';
import { sleep, type Clock } from '../lib/index.js';
import type { ListOptions, ObjectList, KubeObject, WatchOptions } from './rest-client.js';
import type { WatchEvent } from './watch-decoder.js';

/** Lists and watches one collection (with whatever namespace and selectors the informer was made for). */
export interface ListerWatcher<T> {
  list(opts: ListOptions, signal: AbortSignal): Promise<ObjectList<T>>;
  watch(opts: WatchOptions, signal: AbortSignal): AsyncIterable<WatchEvent<T>>;
}

/** Where a Reflector puts what it learns; called in the order of the server's events, never concurrently. */
export interface ReflectorSink<T> {
  /** The whole collection as of `resourceVersion` (after every list). */
  replace(items: T[], resourceVersion: string): void;
  added(obj: T): void;
  modified(obj: T): void;
  deleted(obj: T): void;
}

export interface ReflectorOptions {
  readonly clock: Clock;
  /** First wait after a failure (client-go: 800 ms), doubling up to `maxBackoffMs` (30 s). */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Each watch asks the server to end it after a random time in [min, 2·min) seconds (client-go: 5 min). */
  readonly minWatchTimeoutSeconds?: number;
  readonly log?: (message: string) => void;
  readonly name?: string;
}

/**
 * client-go's Reflector: lists, then watches from the list's resourceVersion, resuming each ended watch from the
 * last resourceVersion it saw (events and bookmarks). A 410 Gone means that history is gone: it relists, from a
 * consistent read. Failures back off exponentially; a successful list resets the backoff.
 */
export class Reflector<T extends KubeObject> {
  private lastResourceVersion = '';
  private lastUnavailable = false;
  private backoffMs: number;

  constructor(
    private readonly lw: ListerWatcher<T>,
    private readonly sink: ReflectorSink<T>,
    private readonly opts: ReflectorOptions,
  ) {
    this.backoffMs = opts.initialBackoffMs ?? 800;
  }

  /** The resourceVersion the cache is at. */
  get resourceVersion(): string {
    return this.lastResourceVersion;
  }

  /** Runs until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.listAndWatch(signal);
      } catch (err) {
        if (signal.aborted) break;
        this.opts.log?.(`reflector ${this.opts.name ?? ''}: ${describe(err)}`);
      }
      if (signal.aborted) break;
      await this.backoff(signal);
    }
  }

  private async listAndWatch(signal: AbortSignal): Promise<void> {
    const resourceVersion = this.lastUnavailable ? '' : this.lastResourceVersion || '0';
    const list = await this.lw.list({ resourceVersion }, signal);
    this.lastUnavailable = false;
    this.lastResourceVersion = list.metadata.resourceVersion ?? '';
    this.sink.replace(list.items, this.lastResourceVersion);
    this.backoffMs = this.opts.initialBackoffMs ?? 800;
    while (!signal.aborted) {
      try {
        await this.watchOnce(signal);
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof ApiError && (err.code === 410 || err.status.reason === 'Expired' || err.status.reason === 'Gone')) {
          this.lastUnavailable = true;
          this.opts.log?.(`reflector ${this.opts.name ?? ''}: watch history is gone (${err.message}); relisting`);
          return;
        }
        this.opts.log?.(`reflector ${this.opts.name ?? ''}: watch failed: ${describe(err)}`);
        await this.backoff(signal);
      }
    }
  }

  private async watchOnce(signal: AbortSignal): Promise<void> {
    const min = this.opts.minWatchTimeoutSeconds ?? 300;
    const timeoutSeconds = Math.floor(min * (1 + Math.random()));
    const events = this.lw.watch({ resourceVersion: this.lastResourceVersion, allowWatchBookmarks: true, timeoutSeconds }, signal);
    const started = this.opts.clock.now();
    let count = 0;
    for await (const event of events) {
      if (signal.aborted) return;
      const rv = event.object.metadata?.resourceVersion;
      switch (event.type) {
        case 'ADDED':
          this.sink.added(event.object);
          break;
        case 'MODIFIED':
          this.sink.modified(event.object);
          break;
        case 'DELETED':
          this.sink.deleted(event.object);
          break;
        case 'BOOKMARK':
          break;
      }
      if (rv) this.lastResourceVersion = rv;
      count++;
    }
    if (count > 0) this.backoffMs = this.opts.initialBackoffMs ?? 800;
    else if (!signal.aborted && this.opts.clock.now() - started < 1000) throw new Error('very short watch: it ended at once without an event');
  }

  private async backoff(signal: AbortSignal): Promise<void> {
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.opts.maxBackoffMs ?? 30_000);
    await sleep(this.opts.clock, wait, signal);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
