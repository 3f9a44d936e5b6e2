import Database from 'better-sqlite3';
import { closeSync, fsync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type {
  DeleteResult,
  KeyValue,
  ListOptions,
  ListResult,
  ReadOptions,
  Storage,
  StorageEvent,
  UpdateFunction,
  WatchOptions,
  WriteOptions,
} from '../storage.js';
import { StorageError } from '../storage-error.js';
import { guaranteedUpdate } from '../guaranteed-update.js';
import { prefixEnd, prepareStatements, type LogRow, type Statements } from './schema.js';
import { EventRing } from './event-ring.js';
import { applyBatch, type WriteOp, type WriteResult } from './write-batch.js';
import { CheckpointWorker } from './checkpoint-worker-client.js';
import { watchLog } from './watch-log.js';

export interface SqliteStorageOptions {
  /** The database file (created with its directory when absent). */
  readonly path: string;
  /**
   * FULL (the default) makes every acknowledged write survive power loss: the WAL is fsynced before a write is
   * acknowledged, seen by readers or sent to watchers — from the thread pool, so the event loop goes on serving while
   * the disk flushes. NORMAL survives only a process crash (no fsync before the acknowledgement).
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** How a file is fsynced (tests hold it to look at what is visible before a write is durable). */
  readonly fsync?: (fd: number, done: (err: Error | null) => void) => void;
  /** How many recent events are kept in memory for watchers (default 10,000). */
  readonly eventRingSize?: number;
  /** How often expired keys are looked for (default 1 s). */
  readonly ttlSweepIntervalMs?: number;
  /** How often the WAL is checkpointed, from a worker thread so writers never wait (default 1 s; 0 turns it off). */
  readonly checkpointIntervalMs?: number;
}

const COMPACT_BATCH = 1000;
/** A batch this large commits at once rather than waiting a turn for more. */
const MAX_DEFERRED_BATCH = 64;
/** Under load a batch waits for more writes at most as long as the last commit took, and never longer than this. */
const MAX_DEFER_MS = 4;
/** fsyncs of the WAL running at once (on the thread pool). */
const MAX_CONCURRENT_FSYNCS = 2;

interface Pending {
  readonly op: WriteOp;
  resolve(result: WriteResult): void;
  reject(err: unknown): void;
}

/** A committed batch waiting for the fsync that makes it durable. */
interface Committed {
  readonly batch: readonly Pending[];
  readonly applied: ReturnType<typeof applyBatch>;
}

/**
 * Storage on an embedded SQLite database: an append-only log (one row per write, row id = revision), written
 * with group commit: writes issued while a batch is being assembled share one transaction, and one fsync covers
 * every transaction committed before it started (at most two run at once; later batches share the next). A write
 * is acknowledged, readable and sent to watchers only once durable: reads are served at the durable revision, never above it. The fsync runs on the
 * thread pool, not in the commit, so the event loop is not blocked while the disk flushes (the connection commits
 * with synchronous=OFF; checkpoints, on their own connection, and the final one at close sync as usual).
 * Watchers are woken in-process, no polling. One process owns the database file at a time.
 */
export class SqliteStorage implements Storage {
  private readonly stmts: Statements;
  /** The last committed revision (writes build on it). */
  private revision: number;
  /** The last durable revision: what reads, watchers and acknowledgements see. */
  private durable: number;
  private compacted: number;
  private queue: Pending[] = [];
  private flushScheduled = false;
  /** Size of the last committed batch: under concurrent load a flush waits one more turn to batch more writes. */
  private lastBatch = 0;
  private deferred = false;
  /** When the batch being assembled was first deferred, and how long the last commit (with its fsync) took. */
  private deferredSince = 0;
  private deferredSize = 0;
  private lastCommitMs = 0;
  private closed = false;
  private readonly ring: EventRing;
  private readonly sweeper: NodeJS.Timeout;
  private readonly checkpointer: CheckpointWorker | undefined;
  private compacting: Promise<void> = Promise.resolve();
  /** Committed batches not yet durable, oldest first. */
  private unsynced: Committed[] = [];
  /** fsyncs running, and whether a batch committed while the most allowed were running. */
  private syncing = 0;
  private syncWanted = false;
  private syncIdle: (() => void)[] = [];
  /** The WAL's file, opened on first use; undefined when writes need no fsync (NORMAL, or in memory). */
  private walFd: number | undefined;
  private readonly walPath: string | undefined;
  private readonly fsyncFile: (fd: number, done: (err: Error | null) => void) => void;

  private constructor(
    private readonly db: Database.Database,
    options: SqliteStorageOptions,
  ) {
    this.stmts = prepareStatements(db);
    this.walPath = fsyncsWal(options) ? `${options.path}-wal` : undefined;
    this.fsyncFile = options.fsync ?? fsync;
    this.revision = this.stmts.sequence.get()?.seq ?? 0;
    this.durable = this.revision;
    this.compacted = this.stmts.getMeta.get('compact_revision')?.value ?? 0;
    this.ring = new EventRing(options.eventRingSize ?? 10_000, this.revision);
    this.sweeper = setInterval(() => this.sweepExpired(), options.ttlSweepIntervalMs ?? 1000);
    this.sweeper.unref();
    const every = options.checkpointIntervalMs ?? 1000;
    this.checkpointer = every > 0 ? new CheckpointWorker(options.path, every) : undefined;
  }

  static open(options: SqliteStorageOptions): SqliteStorage {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    const db = new Database(options.path);
    db.pragma('journal_mode = WAL');
    // FULL durability comes from the fsync before each acknowledgement (see the class comment), not from the commit.
    db.pragma(`synchronous = ${fsyncsWal(options) ? 'OFF' : (options.synchronous ?? 'FULL')}`);
    db.pragma('busy_timeout = 5000');
    // Checkpoints run in a worker thread (checkpoint-worker.ts) so a commit never pays for one.
    db.pragma(`wal_autocheckpoint = ${(options.checkpointIntervalMs ?? 1000) > 0 ? 0 : 1000}`);
    return new SqliteStorage(db, options);
  }

  async currentRevision(): Promise<number> {
    return this.durable;
  }

  async compactedRevision(): Promise<number> {
    return this.compacted;
  }

  async get(key: string, options?: ReadOptions): Promise<KeyValue | undefined> {
    const rev = this.readRevision(key, options?.revision);
    const row = rev === this.revision ? this.stmts.latest.get(key) : this.stmts.atRevision.get(key, rev);
    return row === undefined || row.deleted === 1 ? undefined : toKeyValue(row);
  }

  async list(prefix: string, options?: ListOptions): Promise<ListResult> {
    const rev = this.readRevision(prefix, options?.revision);
    const end = prefixEnd(prefix);
    const start = options?.startKey !== undefined && options.startKey > prefix ? options.startKey : prefix;
    const limit = options?.limit !== undefined && options.limit > 0 ? options.limit : -1;
    const rows = this.stmts.list.all({ start, end, rev, limit: limit < 0 ? -1 : limit + 1 });
    if (!inKeyOrder(rows)) throw new StorageError('Unavailable', prefix, 'list query returned keys out of order');
    if (limit < 0 || rows.length <= limit) return { items: rows.map(toKeyValue), revision: rev };
    const next = rows[limit]!.name;
    const remaining = this.stmts.count.get({ start: next, end, rev })?.n ?? 0;
    return { items: rows.slice(0, limit).map(toKeyValue), revision: rev, continueKey: next, remaining };
  }

  async count(prefix: string): Promise<number> {
    return this.stmts.count.get({ start: prefix, end: prefixEnd(prefix), rev: this.durable })?.n ?? 0;
  }

  create(key: string, value: string, options?: WriteOptions): Promise<KeyValue> {
    return this.write({ kind: 'create', key, value, expiresAt: expiry(options) }) as Promise<KeyValue>;
  }

  update(key: string, value: string, expectedRevision: number, options?: WriteOptions): Promise<KeyValue> {
    return this.write({ kind: 'update', key, value, expected: expectedRevision, expiresAt: expiry(options) }) as Promise<KeyValue>;
  }

  delete(key: string, expectedRevision?: number): Promise<DeleteResult> {
    return this.write({ kind: 'delete', key, expected: expectedRevision }) as Promise<DeleteResult>;
  }

  guaranteedUpdate(key: string, fn: UpdateFunction, options?: WriteOptions): Promise<KeyValue | undefined> {
    return guaranteedUpdate(this, key, fn, options);
  }

  /**
   * Marks history before `revision` as gone at once, then removes superseded rows and tombstones in
   * transactions of COMPACT_BATCH revisions, yielding to writers between them.
   */
  compact(revision: number): Promise<void> {
    // Never past what is durable: a superseding row must survive a crash before the row it supersedes goes.
    const target = Math.min(revision, this.durable);
    if (target <= this.compacted) return this.compacting;
    const from = this.compacted;
    this.compacted = target;
    this.stmts.setMeta.run('compact_revision', target);
    this.compacting = this.compacting.then(async () => {
      for (let lo = from; lo < target && !this.closed; lo += COMPACT_BATCH) {
        const hi = Math.min(lo + COMPACT_BATCH, target);
        this.db.transaction(() => {
          this.stmts.compactSuperseded.run(lo, hi);
          this.stmts.compactTombstones.run(lo, hi);
        })();
        await new Promise((r) => setImmediate(r));
      }
    });
    return this.compacting;
  }

  watch(prefix: string, afterRevision: number, options?: WatchOptions): AsyncIterable<StorageEvent> {
    return watchLog({
      prefix,
      afterRevision,
      signal: options?.signal,
      onProgress: options?.onProgress,
      ring: this.ring,
      compactedRevision: () => this.compacted,
      isClosed: () => this.closed,
      readLog: (after, before) => this.readLog(prefix, after, before),
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    this.flush();
    await this.synced();
    await this.compacting;
    await this.checkpointer?.stop();
    this.ring.wake();
    // The last connection's close checkpoints the WAL into the database and removes it: that must sync.
    if (this.walPath !== undefined) this.db.pragma('synchronous = FULL');
    this.db.close();
    if (this.walFd !== undefined) closeSync(this.walFd);
  }

  private readRevision(key: string, requested: number | undefined): number {
    if (this.closed) throw new StorageError('Unavailable', key, 'storage is closed');
    if (requested === undefined || requested === 0) return this.durable;
    if (requested > this.durable) throw StorageError.futureRevision(key, requested, this.durable);
    if (requested < this.compacted) throw StorageError.compacted(key, requested, this.compacted);
    return requested;
  }

  /** Changes under the prefix with after < revision < before, from the database; `next` is where to continue. */
  private readLog(prefix: string, after: number, before: number): { events: StorageEvent[]; next: number } {
    const rows = this.stmts.changes.all({ after, before, start: prefix, end: prefixEnd(prefix) });
    const events = rows.map((r): StorageEvent => {
      const value = r.value ?? r.prev_value ?? '';
      const prevValue = r.created === 1 ? undefined : (r.prev_value ?? undefined);
      const type = r.created === 1 ? 'ADDED' : r.deleted === 1 ? 'DELETED' : 'MODIFIED';
      return { type, key: r.name, revision: r.id, value, prevValue, createRevision: r.create_revision };
    });
    const next = rows.length === 500 ? rows[rows.length - 1]!.id : before - 1;
    return { events, next };
  }

  private write(op: WriteOp): Promise<WriteResult> {
    if (this.closed) return Promise.reject(new StorageError('Unavailable', op.key, 'storage is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** One transaction (and one fsync) for every write queued since the last flush. */
  private flush(): void {
    // When writes are arriving concurrently (the last batch held several) and this one is still small, give the
    // event loop one more turn to queue more: fewer fsyncs per write, at the cost of one turn of latency.
    // While the commit itself (its fsync) is slow, keep waiting turns for up to that long as long as writes keep
    // arriving: the commit blocks the loop, so a batch that waits as long as a commit costs takes in the writes that
    // would otherwise need a commit of their own.
    if (!this.closed && this.lastBatch > 1 && this.queue.length < MAX_DEFERRED_BATCH) {
      const now = performance.now();
      if (!this.deferred) {
        this.deferred = true;
        this.deferredSince = now;
        this.deferredSize = this.queue.length;
        setImmediate(() => this.flush());
        return;
      }
      // Keep waiting only while writes are still coming in: a batch that stopped growing commits now.
      const growing = this.queue.length > this.deferredSize;
      if (growing && now - this.deferredSince < Math.min(this.lastCommitMs, MAX_DEFER_MS)) {
        this.deferredSize = this.queue.length;
        setImmediate(() => this.flush());
        return;
      }
    }
    this.deferred = false;
    this.flushScheduled = false;
    const batch = this.queue;
    this.lastBatch = batch.length;
    if (batch.length === 0) return;
    this.queue = [];
    let applied: ReturnType<typeof applyBatch>;
    try {
      const started = performance.now();
      applied = this.db.transaction(() => applyBatch(this.stmts, this.revision, batch.map((p) => p.op)))();
      this.lastCommitMs = performance.now() - started;
    } catch (err) {
      const failure = new StorageError('Unavailable', batch[0]!.op.key, `write failed: ${(err as Error).message}`);
      for (const p of batch) p.reject(failure);
      return;
    }
    this.revision = applied.revision;
    if (this.walPath === undefined) {
      this.finish({ batch, applied });
      return;
    }
    this.unsynced.push({ batch, applied });
    this.sync();
  }

  /**
   * Starts an fsync of the WAL that makes every batch committed so far durable. Two may run at once: a batch
   * committed while one is running gets its own rather than waiting for it to finish and then for another; beyond
   * two, batches wait for the next one started. Batches are acknowledged in commit order.
   */
  private sync(): void {
    if (this.unsynced.length === 0) return;
    if (this.syncing >= MAX_CONCURRENT_FSYNCS) {
      this.syncWanted = true;
      return;
    }
    this.syncWanted = false;
    this.syncing++;
    const upTo = this.unsynced[this.unsynced.length - 1]!.applied.revision;
    const done = (err: Error | null) => {
      this.syncing--;
      if (err) {
        // The batches are committed but cannot be made durable: nothing more is acknowledged or written.
        this.closed = true;
        const failure = new StorageError('Unavailable', this.unsynced[0]?.batch[0]?.op.key ?? '', `fsync failed: ${err.message}`);
        for (const c of this.unsynced) for (const p of c.batch) p.reject(failure);
        this.unsynced = [];
      } else {
        while (this.unsynced.length > 0 && this.unsynced[0]!.applied.revision <= upTo) this.finish(this.unsynced.shift()!);
      }
      if (this.syncWanted) this.sync();
      if (this.syncing === 0 && this.unsynced.length === 0) for (const w of this.syncIdle.splice(0)) w();
    };
    try {
      this.walFd ??= openWal(this.walPath!);
      this.fsyncFile(this.walFd, done);
    } catch (err) {
      done(err as Error);
    }
  }

  /** Resolves once every committed batch is durable (or has failed). */
  private synced(): Promise<void> {
    if (this.syncing === 0 && this.unsynced.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.syncIdle.push(resolve));
  }

  /** A durable batch: readers and watchers see it, and its writers get their answers. */
  private finish({ batch, applied }: Committed): void {
    this.durable = applied.revision;
    if (applied.events.length > 0) this.ring.append(applied.events);
    batch.forEach((p, i) => {
      const o = applied.outcomes[i]!;
      if (o.error) p.reject(o.error);
      else p.resolve(o.result!);
    });
  }

  private sweepExpired(): void {
    if (this.closed) return;
    for (const row of this.stmts.expired.all(Date.now())) {
      this.delete(row.name, row.id).catch(() => undefined);
    }
  }
}

/** Whether the store fsyncs the WAL itself before acknowledging (FULL on a file), its connection then committing without. */
function fsyncsWal(options: SqliteStorageOptions): boolean {
  return options.path !== ':memory:' && (options.synchronous ?? 'FULL') === 'FULL';
}

/** Opens the WAL for fsync, and syncs its directory once so that the file's own entry is durable too. */
function openWal(path: string): number {
  const fd = openSync(path, 'r');
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  return fd;
}

function inKeyOrder(rows: readonly LogRow[]): boolean {
  for (let i = 1; i < rows.length; i++) if (rows[i - 1]!.name >= rows[i]!.name) return false;
  return true;
}

function toKeyValue(row: LogRow): KeyValue {
  return { key: row.name, value: row.value ?? '', createRevision: row.create_revision, modRevision: row.id };
}

function expiry(options: WriteOptions | undefined): number | null {
  return options?.ttlSeconds !== undefined && options.ttlSeconds > 0 ? Date.now() + options.ttlSeconds * 1000 : null;
}
