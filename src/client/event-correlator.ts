import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../lib/index.js';
import { realClock } from '../lib/index.js';
import { LruCache } from './lru-cache.js';
import { TokenBucket } from './token-bucket.js';

export interface EventCorrelatorOptions {
  clock?: Clock;
  /** Entries in each of the correlator's caches. Default 4096. */
  lruCacheSize?: number;
  /** Events a source may emit about one object at once. Default 25. */
  burst?: number;
  /** Refill of that allowance, per second. Default 1/300 (one every 5 minutes). */
  qps?: number;
  /** Distinct messages of similar events before they are combined into one. Default 10. */
  maxEvents?: number;
  /** Window in which similar events are counted. Default 600 s. */
  maxIntervalSeconds?: number;
}

/** The strategic merge patch that turns an existing Event into its next occurrence. */
export interface EventPatch {
  count?: number;
  lastTimestamp?: string;
  message?: string;
}

export type CorrelateResult = { skip: true } | { skip: false; event: CoreEvent; patch?: EventPatch };

let lastSecond = Number.NaN;
let lastFormatted = '';

/** metav1.Time's wire form: RFC 3339 in UTC with whole seconds (the last second's text is reused: events come in bursts). */
export function formatTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastFormatted = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSecond = second;
  }
  return lastFormatted;
}

const EPOCH = formatTime(0);

// client-go joins the parts of its keys with no separator; so do we, to keep keys identical (a missing part is empty).

/** Source, involved object, type, reason and message: events with the same key are the same event. */
export function eventKey(e: CoreEvent): string {
  const o = e.involvedObject;
  const src = e.source;
  return `${src?.component ?? ''}${src?.host ?? ''}${o.kind ?? ''}${o.namespace ?? ''}${o.name ?? ''}${o.fieldPath ?? ''}${o.uid ?? ''}${o.apiVersion ?? ''}${e.type ?? ''}${e.reason ?? ''}${e.message ?? ''}`;
}

/** Source and involved object: one spam allowance per key. */
export function spamKey(e: CoreEvent): string {
  const o = e.involvedObject;
  const src = e.source;
  return `${src?.component ?? ''}${src?.host ?? ''}${o.kind ?? ''}${o.namespace ?? ''}${o.name ?? ''}${o.uid ?? ''}${o.apiVersion ?? ''}`;
}

/** Everything of `eventKey` but the message (plus the reporting fields), as EventAggregatorByReasonFunc. */
function aggregateKey(e: CoreEvent): string {
  const o = e.involvedObject;
  const src = e.source;
  return `${src?.component ?? ''}${src?.host ?? ''}${o.kind ?? ''}${o.namespace ?? ''}${o.name ?? ''}${o.uid ?? ''}${o.apiVersion ?? ''}${e.type ?? ''}${e.reason ?? ''}${e.reportingComponent ?? ''}${e.reportingInstance ?? ''}`;
}

const SKIP: CorrelateResult = Object.freeze({ skip: true });

interface AggregateRecord {
  localKeys: Set<string>;
  lastTimestamp: number;
}

interface EventLog {
  count: number;
  firstTimestamp: string | undefined;
  name: string | undefined;
  resourceVersion: string | undefined;
}

/**
 * client-go's EventCorrelator (tools/record/events_cache.go): for every event about to be written it
 * 1. aggregates: once `maxEvents` similar events (same source, object, type and reason, different messages)
 *    were seen within `maxIntervalSeconds`, it substitutes one event "(combined from similar events): …";
 * 2. logs: an event seen before becomes the next occurrence of the existing Event, with a patch of
 *    count, lastTimestamp and message;
 * 3. filters spam: each source+object has a token bucket (`burst`, refilled at `qps`); without a token the
 *    event is skipped.
 * `correlate` and `updateState` are synchronous and must be called in the order events are written.
 */
export class EventCorrelator {
  private readonly clock: Clock;
  private readonly maxEvents: number;
  private readonly maxIntervalMs: number;
  private readonly qps: number;
  private readonly burst: number;
  private readonly aggregates: LruCache<string, AggregateRecord>;
  private readonly logs: LruCache<string, EventLog>;
  private readonly spam: LruCache<string, TokenBucket>;

  constructor(options: EventCorrelatorOptions = {}) {
    this.clock = options.clock ?? realClock;
    const size = options.lruCacheSize ?? 4096;
    this.maxEvents = options.maxEvents ?? 10;
    this.maxIntervalMs = (options.maxIntervalSeconds ?? 600) * 1000;
    this.qps = options.qps ?? 1 / 300;
    this.burst = options.burst ?? 25;
    this.aggregates = new LruCache(size);
    this.logs = new LruCache(size);
    this.spam = new LruCache(size);
  }

  correlate(event: CoreEvent): CorrelateResult {
    // Aggregation, then the log of occurrences, then the spam filter, as upstream; each cache's state changes the same
    // way whether or not the event is then skipped. Spam is decided on the source and involved object, which an
    // aggregated event shares with the event it stands for.
    const now = this.clock.now();
    const similar = aggregateKey(event);
    const aggregated = this.aggregate(similar, event.message ?? '', now);
    const key = aggregated ? similar : eventKey(event);
    const last = this.logs.get(key);
    const spam = this.isSpam(event);
    if (last && last.count > 0) {
      // The next occurrence of a logged event: while it is skipped nothing but its count changes (the usual case of a
      // burst), so no event is built for it.
      last.count += 1;
      if (spam) return SKIP;
      const base = aggregated ? this.combined(event, now) : event;
      const observed: CoreEvent = {
        ...base,
        metadata: { ...base.metadata, name: last.name, resourceVersion: last.resourceVersion },
        firstTimestamp: last.firstTimestamp,
        count: last.count,
      };
      // The two-way strategic merge patch from a copy with these three fields zeroed.
      const patch: EventPatch = { count: last.count };
      if (observed.lastTimestamp !== undefined && observed.lastTimestamp !== EPOCH) patch.lastTimestamp = observed.lastTimestamp;
      if (observed.message) patch.message = observed.message;
      return { skip: false, event: observed, patch };
    }
    const base = aggregated ? this.combined(event, now) : event;
    const observed: CoreEvent = { ...base, metadata: { ...base.metadata } };
    this.logs.set(key, {
      count: observed.count ?? 0,
      firstTimestamp: observed.firstTimestamp,
      name: observed.metadata?.name,
      resourceVersion: observed.metadata?.resourceVersion,
    });
    return spam ? SKIP : { skip: false, event: observed };
  }

  /** Records what the server returned, so later occurrences patch the right name and resourceVersion. */
  updateState(event: CoreEvent): void {
    this.logs.set(eventKey(event), {
      count: event.count ?? 0,
      firstTimestamp: event.firstTimestamp,
      name: event.metadata?.name,
      resourceVersion: event.metadata?.resourceVersion,
    });
  }

  /** Notes a message among those of similar events (`key`); true when they are now combined (upstream's EventAggregate). */
  private aggregate(key: string, message: string, now: number): boolean {
    let record = this.aggregates.get(key);
    if (!record || now - record.lastTimestamp > this.maxIntervalMs) {
      record = { localKeys: new Set(), lastTimestamp: 0 };
      this.aggregates.set(key, record);
    }
    record.localKeys.add(message);
    record.lastTimestamp = now;
    if (record.localKeys.size < this.maxEvents) return false;
    const first = record.localKeys.values().next();
    if (!first.done) record.localKeys.delete(first.value);
    return true;
  }

  /**
   * The event that stands for similar ones once they are combined. client-go names it after the time in nanoseconds;
   * our clock has milliseconds, so it takes the name of the event it replaces (the recorder's, already unique among
   * that object's events) rather than one that an event recorded in the same millisecond may carry.
   */
  private combined(event: CoreEvent, now: number): CoreEvent {
    const t = formatTime(now);
    const name = event.metadata?.name ?? `${event.involvedObject.name ?? ''}.${nanoHex(now)}`;
    return {
      metadata: { name, namespace: event.metadata?.namespace },
      involvedObject: event.involvedObject,
      reason: event.reason,
      message: `(combined from similar events): ${event.message ?? ''}`,
      ...(event.source ? { source: event.source } : {}),
      firstTimestamp: t,
      lastTimestamp: t,
      count: 1,
      type: event.type,
    };
  }

  private isSpam(event: CoreEvent): boolean {
    const key = spamKey(event);
    let bucket = this.spam.get(key);
    if (!bucket) {
      bucket = new TokenBucket({ qps: this.qps, burst: this.burst, clock: this.clock });
      this.spam.set(key, bucket);
    }
    return !bucket.tryTake();
  }
}

/** Go's `t.UnixNano()` for a time in milliseconds. */
export function unixNanos(ms: number): bigint {
  return BigInt(Math.round(ms)) * 1_000_000n;
}

/** Go's `fmt.Sprintf("%x", t.UnixNano())` for a time in milliseconds. */
export function nanoHex(ms: number): string {
  return unixNanos(ms).toString(16);
}
