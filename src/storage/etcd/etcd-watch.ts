import type { IDuplexStream, IEvent, IKeyValue, IWatchRequest, IWatchResponse } from 'etcd3';
import type { StorageEvent } from '../storage.js';
import { StorageError } from '../storage-error.js';
import { etcdErrorCode, toStorageError } from './etcd-errors.js';

export type WatchStream = IDuplexStream<IWatchRequest, IWatchResponse>;

export interface EtcdWatchOptions {
  /** Opens a dedicated Watch RPC stream (never shared, never resumed behind our back). */
  readonly openStream: () => Promise<WatchStream>;
  readonly prefix: string;
  readonly key: Buffer;
  readonly rangeEnd: Buffer;
  readonly afterRevision: number;
  /** Any of these aborting ends the iteration without error (the caller's signal, the store closing). */
  readonly signals: readonly AbortSignal[];
  /** Told the compaction revision etcd reported when it refused the start revision. */
  readonly onCompacted: (revision: number) => void;
  /** Buffered events at which reading from etcd pauses until the consumer catches up. */
  readonly highWaterMark?: number;
}

interface Pausable {
  pause(): void;
  resume(): void;
}

function isPausable(stream: object): stream is Pausable {
  return typeof (stream as Partial<Pausable>).pause === 'function' && typeof (stream as Partial<Pausable>).resume === 'function';
}

/**
 * One etcd watcher on its own gRPC stream, feeding an in-memory queue the iterator drains. etcd sends events in
 * revision order without gaps from `start_revision` on; since the stream is never re-established, the iteration
 * yields exactly that sequence and fails (instead of silently resuming) when the stream breaks.
 */
class WatchFeed {
  private readonly buffer: StorageEvent[] = [];
  private head = 0;
  private failure: StorageError | undefined;
  private ended = false;
  private paused = false;
  private stream: WatchStream | undefined;
  private wake: (() => void) | undefined;
  private readonly highWaterMark: number;
  private readonly onAbort = (): void => this.finish();

  constructor(private readonly options: EtcdWatchOptions) {
    this.highWaterMark = options.highWaterMark ?? 1000;
    for (const signal of options.signals) {
      if (signal.aborted) this.ended = true;
      else signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  async start(): Promise<void> {
    if (this.ended) return;
    let stream: WatchStream;
    try {
      stream = await this.options.openStream();
    } catch (err) {
      throw toStorageError(err, this.options.prefix);
    }
    this.stream = stream;
    stream.on('data', (res) => this.onResponse(res));
    stream.on('error', (err) => this.fail(new StorageError(etcdErrorCode(err), this.options.prefix, `etcd watch: ${err.message}`)));
    stream.on('end', () => this.fail(this.unavailable('the etcd watch stream ended')));
    if (this.ended) {
      this.closeStream();
      return;
    }
    stream.write({
      create_request: {
        key: this.options.key,
        range_end: this.options.rangeEnd,
        start_revision: this.options.afterRevision + 1,
        prev_kv: true,
      },
    });
  }

  /** The next event; undefined once the iteration has ended; throws the failure after the buffered events. */
  async take(): Promise<StorageEvent | undefined> {
    for (;;) {
      if (this.ended) return undefined;
      const event = this.buffer[this.head];
      if (event !== undefined) {
        this.head++;
        this.compactBuffer();
        return event;
      }
      if (this.failure !== undefined) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Ends the iteration and releases the etcd watcher. */
  finish(): void {
    this.ended = true;
    this.buffer.length = 0;
    this.head = 0;
    this.closeStream();
    this.notify();
  }

  private onResponse(res: IWatchResponse): void {
    if (this.failure !== undefined || this.ended) return;
    if (res.canceled) {
      this.fail(this.cancelError(res));
      return;
    }
    for (const ev of res.events) {
      const event = this.toEvent(ev);
      if (event instanceof StorageError) {
        this.fail(event);
        return;
      }
      this.buffer.push(event);
    }
    if (this.buffer.length - this.head >= this.highWaterMark && this.stream && isPausable(this.stream)) {
      this.stream.pause();
      this.paused = true;
    }
    this.notify();
  }

  /**
   * etcd 3.4 cancels a watch whose start revision is compacted with `compact_revision` set and no reason; any
   * other server-side cancellation carries a reason (e.g. permission denied), which the caller may retry.
   */
  private cancelError(res: IWatchResponse): StorageError {
    const compactRevision = Number(res.compact_revision);
    if (compactRevision > 0) {
      this.options.onCompacted(compactRevision);
      return StorageError.compacted(this.options.prefix, this.options.afterRevision + 1, compactRevision);
    }
    if (res.cancel_reason) return this.unavailable(`etcd canceled the watch: ${res.cancel_reason}`);
    return new StorageError('Compacted', this.options.prefix, 'etcd canceled the watch without a reason');
  }

  private toEvent(ev: IEvent): StorageEvent | StorageError {
    const kv = ev.kv;
    const prev: IKeyValue | null = ev.prev_kv;
    const key = kv.key.toString();
    const revision = Number(kv.mod_revision);
    const isDelete = String(ev.type).toUpperCase() === 'DELETE';
    if (!isDelete && kv.create_revision === kv.mod_revision) {
      return { type: 'ADDED', key, revision, value: kv.value.toString(), createRevision: Number(kv.create_revision) };
    }
    if (!prev) {
      // etcd omits prev_kv when the previous revision was compacted away before the event was sent.
      return new StorageError('Compacted', key, `etcd sent the event at revision ${revision} of ${key} without its previous value`);
    }
    const prevValue = prev.value.toString();
    if (isDelete) return { type: 'DELETED', key, revision, value: prevValue, prevValue, createRevision: Number(prev.create_revision) };
    return { type: 'MODIFIED', key, revision, value: kv.value.toString(), prevValue, createRevision: Number(kv.create_revision) };
  }

  private compactBuffer(): void {
    if (this.head === this.buffer.length) {
      this.buffer.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.buffer.length) {
      this.buffer.splice(0, this.head);
      this.head = 0;
    }
    if (this.paused && this.buffer.length - this.head < this.highWaterMark / 2 && this.stream && isPausable(this.stream)) {
      this.paused = false;
      this.stream.resume();
    }
  }

  private fail(err: StorageError): void {
    if (this.failure !== undefined || this.ended) return;
    this.failure = err;
    this.closeStream();
    this.notify();
  }

  private unavailable(message: string): StorageError {
    return new StorageError('Unavailable', this.options.prefix, message);
  }

  private closeStream(): void {
    for (const signal of this.options.signals) signal.removeEventListener('abort', this.onAbort);
    const stream = this.stream;
    if (stream === undefined) return;
    this.stream = undefined;
    // Half-closing first keeps etcd3's stream error hook (which only fires while the stream is writable) from
    // treating our own cancellation as a host failure and resetting every connection to that member.
    stream.end();
    stream.cancel();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** The watch iteration of EtcdStorage: events under `prefix` after `afterRevision`, in order, without gaps. */
export async function* etcdWatch(options: EtcdWatchOptions): AsyncGenerator<StorageEvent, void, undefined> {
  const feed = new WatchFeed(options);
  try {
    await feed.start();
    for (;;) {
      const event = await feed.take();
      if (event === undefined) return;
      yield event;
    }
  } finally {
    feed.finish();
  }
}
