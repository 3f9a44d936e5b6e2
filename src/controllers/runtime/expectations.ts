/**
 * Expectations: how many creations and deletions a controller is still waiting to observe for one
 * controller key, so that it does not act again on a stale cache. Upstream's ControllerExpectations
 * and UIDTrackingControllerExpectations (pkg/controller/controller_utils.go). Single-threaded: every
 * method runs to completion, so no locking is needed.
 */
import type { Clock } from '../../lib/index.js';

/** After this long an unmet expectation no longer blocks a sync (upstream's ExpectationsTimeout). */
export const ExpectationsTimeout = 5 * 60 * 1000;

/** What one controller key still expects to observe; counts may go below zero. */
export interface ControlleeExpectations {
  add: number;
  del: number;
  /** Clock time (ms) when the expectations were set. */
  timestamp: number;
}

/** The key that expectations and deletion tracking use for a pod: `<namespace>/<name>`. */
export function podKey(pod: { metadata?: { namespace?: string; name?: string } }): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

/** True when nothing more is expected: both counts are at or below zero. */
export function expectationsFulfilled(exp: ControlleeExpectations): boolean {
  return exp.add <= 0 && exp.del <= 0;
}

export class ControllerExpectations {
  private readonly store = new Map<string, ControlleeExpectations>();

  constructor(private readonly clock: Clock) {}

  /** The current record for `key`, or undefined when none was set (or it was deleted). */
  getExpectations(key: string): Readonly<ControlleeExpectations> | undefined {
    return this.store.get(key);
  }

  /**
   * Whether the controller may sync `key`: true when no expectations were ever recorded, when they are
   * fulfilled, or when they were set more than ExpectationsTimeout ago; false while still waiting.
   */
  satisfiedExpectations(key: string): boolean {
    const exp = this.store.get(key);
    if (exp === undefined) return true;
    return expectationsFulfilled(exp) || this.isExpired(exp);
  }

  /** Forgets the expectations of `key` (the controller object is gone). */
  deleteExpectations(key: string): void {
    this.store.delete(key);
  }

  /** Replaces any expectations of `key` with these counts, timestamped now. */
  setExpectations(key: string, add: number, del: number): void {
    this.store.set(key, { add, del, timestamp: this.clock.now() });
  }

  /** Replaces the expectations of `key` with `adds` creations and no deletions. */
  expectCreations(key: string, adds: number): void {
    this.setExpectations(key, adds, 0);
  }

  /** Replaces the expectations of `key` with `dels` deletions and no creations. */
  expectDeletions(key: string, dels: number): void {
    this.setExpectations(key, 0, dels);
  }

  /** Decrements both counts of an existing record; does nothing when `key` has none. Keeps the timestamp. */
  lowerExpectations(key: string, add: number, del: number): void {
    const exp = this.store.get(key);
    if (exp === undefined) return;
    exp.add -= add;
    exp.del -= del;
  }

  /** Increments both counts of an existing record; does nothing when `key` has none. Keeps the timestamp. */
  raiseExpectations(key: string, add: number, del: number): void {
    const exp = this.store.get(key);
    if (exp === undefined) return;
    exp.add += add;
    exp.del += del;
  }

  /** One expected creation was observed (or will never happen). */
  creationObserved(key: string): void {
    this.lowerExpectations(key, 1, 0);
  }

  /** One expected deletion was observed (or will never happen). */
  deletionObserved(key: string): void {
    this.lowerExpectations(key, 0, 1);
  }

  private isExpired(exp: ControlleeExpectations): boolean {
    return this.clock.now() - exp.timestamp > ExpectationsTimeout;
  }
}

/**
 * ControllerExpectations that remember which pods (by podKey) a deletion is expected for, so that a
 * pod seen first with a deletionTimestamp and later as deleted is counted once, and a deletion of a
 * pod the controller did not delete is not counted at all.
 */
export class UIDTrackingControllerExpectations {
  private readonly uids = new Map<string, Set<string>>();

  constructor(readonly expectations: ControllerExpectations) {}

  /** The pod keys still expected to be deleted for `key`, or undefined when none were recorded. */
  getUIDs(key: string): ReadonlySet<string> | undefined {
    return this.uids.get(key);
  }

  /** See ControllerExpectations.getExpectations. */
  getExpectations(key: string): Readonly<ControlleeExpectations> | undefined {
    return this.expectations.getExpectations(key);
  }

  /** See ControllerExpectations.satisfiedExpectations. */
  satisfiedExpectations(key: string): boolean {
    return this.expectations.satisfiedExpectations(key);
  }

  /** See ControllerExpectations.expectCreations. */
  expectCreations(key: string, adds: number): void {
    this.expectations.expectCreations(key, adds);
  }

  /** See ControllerExpectations.creationObserved. */
  creationObserved(key: string): void {
    this.expectations.creationObserved(key);
  }

  /** See ControllerExpectations.raiseExpectations. */
  raiseExpectations(key: string, add: number, del: number): void {
    this.expectations.raiseExpectations(key, add, del);
  }

  /** See ControllerExpectations.lowerExpectations. */
  lowerExpectations(key: string, add: number, del: number): void {
    this.expectations.lowerExpectations(key, add, del);
  }

  /**
   * Replaces the tracked pod keys of `key` with `podKeys` (duplicates count once) and expects that
   * many deletions, replacing any earlier expectations.
   */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    const expected = new Set(podKeys);
    this.uids.set(key, expected);
    this.expectations.expectDeletions(key, expected.size);
  }

  /** Counts the deletion of `deletedPodKey` once, and only when it was expected for `key`. */
  deletionObserved(key: string, deletedPodKey: string): void {
    const expected = this.uids.get(key);
    if (expected === undefined || !expected.has(deletedPodKey)) return;
    this.expectations.deletionObserved(key);
    expected.delete(deletedPodKey);
  }

  /** Forgets both the counts and the tracked pod keys of `key`. */
  deleteExpectations(key: string): void {
    this.expectations.deleteExpectations(key);
    this.uids.delete(key);
  }
}
