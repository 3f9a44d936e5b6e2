import type { Event as CoreEvent, ObjectReference } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { ApiError, goQuote, hasStatusCause } from '../api/index.js';
import type { Clock } from '../lib/index.js';
import { realClock, sleep } from '../lib/index.js';
import { EventCorrelator, formatTime, unixNanos, type EventCorrelatorOptions, type EventPatch } from './event-correlator.js';

/**
 * Where events are written: core/v1 Events in a namespace. Calls reject with an ApiError for answers of
 * the server (a `patch` of a missing Event rejects with code 404) and with any other error for transport
 * failures, which are retried. Calls are made one at a time, in the order events were recorded.
 */
export interface EventSink {
  create(namespace: string, event: CoreEvent): Promise<CoreEvent>;
  patch(namespace: string, name: string, patch: object): Promise<CoreEvent>;
}

export type EventType = 'Normal' | 'Warning';

/** What an event can be about: any object with kind, apiVersion and metadata. */
export interface EventSubject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

export interface EventRecorderOptions {
  sink: EventSink;
  /** source.component and reportingComponent, e.g. "replicaset-controller". */
  component: string;
  /** source.host and reportingInstance, e.g. the node name. */
  host?: string;
  clock?: Clock;
  correlator?: Omit<EventCorrelatorOptions, 'clock'>;
  /** Events waiting to be written beyond this are dropped. Default 1000. */
  maxQueuedEvents?: number;
  /** Attempts at writing one event when the server cannot be reached. Default 12. */
  maxTries?: number;
  /** Wait between those attempts (the first one randomised). Default 10 s. */
  retryDelayMs?: number;
  random?: () => number;
  /** Told about events that were dropped or could not be written. */
  onError?: (err: unknown) => void;
}

/** The nameless `%v`-style formatting of client-go's Eventf: %s %v %d %q and %%. */
export function formatMessage(format: string, args: readonly unknown[]): string {
  let i = 0;
  return format.replace(/%[svdq%]/g, (verb) => {
    if (verb === '%%') return '%';
    if (i >= args.length) return `%!${verb[1]}(MISSING)`;
    const arg = args[i++];
    if (verb === '%q') return goQuote(String(arg));
    return typeof arg === 'object' && arg !== null ? JSON.stringify(arg) : String(arg);
  });
}

function reference(object: EventSubject): ObjectReference {
  const m = object.metadata ?? {};
  const ref: ObjectReference = {};
  if (object.kind) ref.kind = object.kind;
  if (m.namespace) ref.namespace = m.namespace;
  if (m.name) ref.name = m.name;
  if (m.uid) ref.uid = m.uid;
  if (object.apiVersion) ref.apiVersion = object.apiVersion;
  if (m.resourceVersion) ref.resourceVersion = m.resourceVersion;
  return ref;
}

/**
 * Records core/v1 Events about objects, as client-go's tools/record recorder with a broadcaster recording
 * to a sink. `event` and `eventf` never throw and never wait: the event is queued (dropped beyond
 * `maxQueuedEvents`) and written asynchronously, one at a time in recording order, through an
 * EventCorrelator, so repeated events update one Event's count. As in client-go, an event is correlated by the writer
 * just before it would be written, after the previous write's answer updated the correlator; the ones the spam filter
 * skips are passed over at once. `flush` resolves once everything queued so far has been written or given up on;
 * `shutDown` drops what is queued and stops retrying.
 */
export class EventRecorder {
  private readonly sink: EventSink;
  private readonly clock: Clock;
  private readonly correlator: EventCorrelator;
  private readonly source: { component: string; host?: string };
  private readonly maxQueued: number;
  private readonly maxTries: number;
  private readonly retryDelayMs: number;
  private readonly random: () => number;
  private readonly onError: ((err: unknown) => void) | undefined;
  private readonly queue: CoreEvent[] = [];
  /** The last event-name nanoseconds per object (namespace/name), most recent last, at most 4,096. */
  private readonly lastNanos = new Map<string, bigint>();
  private readonly stopped = new AbortController();
  private writing = false;
  private dropped = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(options: EventRecorderOptions) {
    this.sink = options.sink;
    this.clock = options.clock ?? realClock;
    this.correlator = new EventCorrelator({ ...options.correlator, clock: this.clock });
    this.source = options.host ? { component: options.component, host: options.host } : { component: options.component };
    this.maxQueued = options.maxQueuedEvents ?? 1000;
    this.maxTries = options.maxTries ?? 12;
    this.retryDelayMs = options.retryDelayMs ?? 10_000;
    this.random = options.random ?? Math.random;
    this.onError = options.onError;
  }

  event(object: EventSubject, type: EventType, reason: string, message: string): void {
    try {
      if (this.stopped.signal.aborted) return;
      if (type !== 'Normal' && type !== 'Warning') throw new Error(`unsupported event type: ${JSON.stringify(type)}`);
      if (!object.kind) throw new Error('object has no kind; cannot build a reference for its event');
      if (this.queue.length >= this.maxQueued) {
        // Reported once per full queue, not once per dropped event.
        if (this.dropped++ === 0) throw new Error(`too many queued events (${this.maxQueued}); dropping events until the queue drains`);
        return;
      }
      if (this.dropped > 1) this.report(new Error(`dropped ${this.dropped - 1} more events while the queue was full`));
      this.dropped = 0;
      this.queue.push(this.makeEvent(reference(object), type, reason, message));
      if (!this.writing) void this.drain();
    } catch (err) {
      this.report(err);
    }
  }

  eventf(object: EventSubject, type: EventType, reason: string, format: string, ...args: unknown[]): void {
    this.event(object, type, reason, formatMessage(format, args));
  }

  /** Resolves once every event recorded before the call has been written or given up on. */
  flush(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops queued events, stops retries and ignores later events. Idempotent. */
  shutDown(): void {
    this.queue.length = 0;
    this.stopped.abort();
  }

  /**
   * `<object>.<hex nanoseconds>`. Our clock has milliseconds: two events for one object within the same millisecond
   * would share a name (and the second be lost as AlreadyExists), so such a name moves on by a nanosecond.
   */
  private eventName(ref: ObjectReference, now: number): string {
    const base = `${ref.namespace ?? ''}/${ref.name ?? ''}`;
    let nanos = unixNanos(now);
    const last = this.lastNanos.get(base);
    if (last !== undefined && nanos <= last) nanos = last + 1n;
    this.lastNanos.delete(base);
    this.lastNanos.set(base, nanos);
    if (this.lastNanos.size > 4096) this.lastNanos.delete(this.lastNanos.keys().next().value!);
    return `${ref.name ?? ''}.${nanos.toString(16)}`;
  }

  private makeEvent(ref: ObjectReference, type: EventType, reason: string, message: string): CoreEvent {
    const now = this.clock.now();
    const t = formatTime(now);
    return {
      metadata: { name: this.eventName(ref, now), namespace: ref.namespace || 'default' },
      involvedObject: ref,
      reason,
      message,
      source: { ...this.source },
      firstTimestamp: t,
      lastTimestamp: t,
      count: 1,
      type,
      // Go serialises the zero MicroTime as null.
      eventTime: null as unknown as string,
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
    };
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      for (let event = this.queue.shift(); event; event = this.queue.shift()) {
        try {
          // A skipped occurrence (counted by the correlator) is passed over without waiting.
          const result = this.correlator.correlate(event);
          if (!result.skip) await this.recordToSink(result.event, result.patch);
        } catch (err) {
          this.report(err);
        }
      }
    } finally {
      this.writing = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private async recordToSink(event: CoreEvent, patch: EventPatch | undefined): Promise<void> {
    for (let tries = 1; ; tries++) {
      if (await this.recordEvent(event, patch)) return;
      if (tries >= this.maxTries) {
        this.report(new Error(`unable to write event ${event.metadata?.name ?? ''} (retry limit exceeded)`));
        return;
      }
      // The first wait is randomised so that clients do not retry in step after a server outage.
      const delay = tries === 1 ? this.retryDelayMs * this.random() : this.retryDelayMs;
      if (!(await sleep(this.clock, delay, this.stopped.signal))) return;
    }
  }

  /** One attempt; true when done (written, or rejected by the server so that retrying cannot help). */
  private async recordEvent(event: CoreEvent, patch: EventPatch | undefined): Promise<boolean> {
    const namespace = event.metadata?.namespace ?? 'default';
    const update = patch !== undefined && (event.count ?? 0) > 1;
    try {
      let written: CoreEvent | undefined;
      if (update) {
        try {
          written = await this.sink.patch(namespace, event.metadata?.name ?? '', patch);
        } catch (err) {
          if (!(err instanceof ApiError && err.code === 404)) throw err;
        }
      }
      if (!written) {
        const { resourceVersion: _stale, ...metadata } = event.metadata ?? {};
        written = await this.sink.create(namespace, { ...event, metadata });
      }
      this.correlator.updateState(written);
      return true;
    } catch (err) {
      if (!(err instanceof ApiError)) {
        this.report(err);
        return false;
      }
      if (!(err.reason === 'AlreadyExists' || hasStatusCause(err, 'NamespaceTerminating'))) this.report(err);
      return true;
    }
  }

  private report(err: unknown): void {
    try {
      this.onError?.(err);
    } catch {
      // A failing error hook must not stop the recorder.
    }
  }
}
