import { RingBuffer } from './ring-buffer.js';

export type WatchDeliveryType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

/** One watch event sent to one watcher. */
export interface WatchDelivery {
  /** Milliseconds since the epoch (Clock.now()). */
  readonly time: number;
  readonly user: string;
  readonly userAgent: string;
  readonly resource: string;
  readonly namespace?: string;
  readonly name: string;
  readonly type: WatchDeliveryType;
  readonly resourceVersion: string;
}

export interface WatchDeliveryQuery {
  readonly resource?: string;
  /** Matches `namespace` exactly; '' selects cluster-scoped deliveries. */
  readonly namespace?: string;
  readonly name?: string;
  /** Keeps deliveries with a resourceVersion strictly greater (numerically); non-numeric versions always match. */
  readonly sinceResourceVersion?: string;
}

/**
 * The last `capacity` watch deliveries, in memory only, for answering "did watcher X get event Y".
 * `record` is O(1) and stores the given entry by reference, allocating nothing else.
 */
export class WatchDeliveryRing {
  private readonly ring: RingBuffer<WatchDelivery>;

  constructor(capacity = 10_000) {
    this.ring = new RingBuffer(capacity);
  }

  get size(): number {
    return this.ring.size;
  }

  record(delivery: WatchDelivery): void {
    this.ring.push(delivery);
  }

  /** Matching deliveries, oldest first. */
  query(q: WatchDeliveryQuery = {}): WatchDelivery[] {
    const since = q.sinceResourceVersion === undefined ? undefined : Number(q.sinceResourceVersion);
    return this.ring.filter(
      (d) =>
        (q.resource === undefined || d.resource === q.resource) &&
        (q.namespace === undefined || (d.namespace ?? '') === q.namespace) &&
        (q.name === undefined || d.name === q.name) &&
        (since === undefined || Number.isNaN(since) || !(Number(d.resourceVersion) <= since)),
    );
  }
}
