/**
 * The revisioned key-value store every Kubernetes object lives in.
 *
 * Contract (both backends, checked by test/support/storage-contract.ts):
 * - One global revision, a positive integer that only grows. Every successful create, update or
 *   delete takes exactly one new revision; an object's `resourceVersion` is the `modRevision` of its key.
 * - Each call is atomic and linearizable: once a write's promise resolves it is durable and visible to
 *   every later read and watch. Concurrent compare-and-swap writes to one key: exactly one wins.
 * - Keys are strings (upstream's layout, `/registry/<resource>/[<namespace>/]<name>`); values are the
 *   object's JSON text, stored as given.
 * - Failures are `StorageError`s (see storage-error.ts); anything else is a bug.
 */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
  /** Revision of the write that created this incarnation of the key. */
  readonly createRevision: number;
  /** Revision of the write that produced this value. */
  readonly modRevision: number;
}

export interface ReadOptions {
  /** Read as of this revision (0 or absent: the latest). A compacted revision fails with `Compacted`; a future one with `FutureRevision`. */
  readonly revision?: number;
}

export interface ListOptions extends ReadOptions {
  /** At most this many items (absent or 0: all). */
  readonly limit?: number;
  /** Start at this key (inclusive); it must lie within the prefix. Pass the previous page's `continueKey`. */
  readonly startKey?: string;
}

export interface ListResult {
  /** Live keys under the prefix in ascending key order. */
  readonly items: KeyValue[];
  /** The revision the list was read at: the next page must be read at the same revision. */
  readonly revision: number;
  /** Set when the limit cut the list short: the key to pass as the next page's `startKey`. */
  readonly continueKey?: string;
  /** With a limit that cut the list short: how many live keys come after this page (an estimate is allowed). */
  readonly remaining?: number;
}

export interface WriteOptions {
  /** Remove the key this many seconds after this write (Events); a later write without it clears the expiry. */
  readonly ttlSeconds?: number;
}

export interface DeleteResult {
  /** The value that was deleted. */
  readonly prev: KeyValue;
  /** The revision of the deletion. */
  readonly revision: number;
}

export type StorageEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StorageEvent {
  readonly type: StorageEventType;
  readonly key: string;
  /** The revision of this change. */
  readonly revision: number;
  /** The new value; for DELETED, the value the key held when it was deleted. */
  readonly value: string;
  /** The value before this change (absent for ADDED). */
  readonly prevValue?: string;
  readonly createRevision: number;
}

export interface WatchOptions {
  /** Ends the iteration (without error) when aborted. */
  readonly signal?: AbortSignal;
  /**
   * Progress notification: called with a revision R once every event under the prefix with revision ≤ R has been
   * yielded and consumed, so a cache fed by this watch knows it is current up to R even when nothing under its
   * prefix changed. Backends call it when they can (SQLite after every commit; etcd with each watch response).
   */
  readonly onProgress?: (revision: number) => void;
}

/**
 * Returns a key's new value from its current state (undefined when absent), or throws to abort.
 * Return `undefined` to leave the object unchanged (no write).
 */
export type UpdateFunction = (current: KeyValue | undefined) => string | undefined | Promise<string | undefined>;

export interface Storage {
  /** The latest revision, read consistently (a quorum read on etcd). */
  currentRevision(): Promise<number>;

  get(key: string, options?: ReadOptions): Promise<KeyValue | undefined>;

  /** Keys starting with `prefix`, in key order, at one revision. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;

  /** Number of live keys starting with `prefix`. */
  count(prefix: string): Promise<number>;

  /** Creates the key if absent; `KeyExists` otherwise. */
  create(key: string, value: string, options?: WriteOptions): Promise<KeyValue>;

  /**
   * Replaces the value if the key's modRevision equals `expectedRevision`.
   * `NotFound` when the key is absent, `Conflict` (carrying the current value) when the revision differs.
   */
  update(key: string, value: string, expectedRevision: number, options?: WriteOptions): Promise<KeyValue>;

  /** Deletes the key, if `expectedRevision` is given only while its modRevision equals it. `NotFound` / `Conflict`. */
  delete(key: string, expectedRevision?: number): Promise<DeleteResult>;

  /**
   * Reads the key, calls `fn` with it and writes the result with compare-and-swap, retrying with a fresh
   * read on conflict. Creates the key when it was absent and `fn` returned a value. Returns the stored
   * state (the unchanged one when `fn` returned undefined; undefined if the key is absent and stays so).
   */
  guaranteedUpdate(key: string, fn: UpdateFunction, options?: WriteOptions): Promise<KeyValue | undefined>;

  /** Forgets the history before `revision`: reads and watches below it fail with `Compacted`. Idempotent. */
  compact(revision: number): Promise<void>;

  /** The oldest revision still readable (the last compaction point, 0 if never compacted). */
  compactedRevision(): Promise<number>;

  /**
   * Every change to keys under `prefix` with revision greater than `afterRevision`, in revision order, with no
   * gaps and no duplicates, starting with the retained history and continuing live. The first step fails with
   * `Compacted` when `afterRevision` is below the compacted revision. The iteration ends when the signal aborts,
   * and fails with a `StorageError` if the store can no longer deliver (the caller resumes from the last revision it saw).
   */
  watch(prefix: string, afterRevision: number, options?: WatchOptions): AsyncIterable<StorageEvent>;

  /** Stops background work and releases the store; pending writes settle first. */
  close(): Promise<void>;
}
