import { Etcd3, type IRangeRequest, type IRangeResponse, type ITxnRequest, type ITxnResponse } from 'etcd3';
import type { DeleteResult, KeyValue, ListOptions, ListResult, ReadOptions, Storage } from '../storage.js';
import type { StorageEvent, UpdateFunction, WatchOptions, WriteOptions } from '../storage.js';
import { StorageError, isStorageError } from '../storage-error.js';
import { guaranteedUpdate } from '../guaranteed-update.js';
import { isLeaseNotFoundError, toStorageError } from './etcd-errors.js';
import { casFailure, keyAfter, modRevisionIs, prefixRange, toKeyValue } from './etcd-codec.js';
import { etcdWatch } from './etcd-watch.js';
import { LeasePool } from './lease-pool.js';
import { MemberBreakers, runOnce } from './member-breakers.js';

export interface EtcdTlsOptions {
  /** PEM CA bundle that signed the etcd members' serving certificates. */
  readonly ca: Buffer;
  /** PEM client certificate chain and key, for members that require client certificates. */
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

export interface EtcdStorageOptions {
  /** Client URLs of the etcd members, e.g. `http://127.0.0.1:2379` (`https://` with `tls`). */
  readonly endpoints: readonly string[];
  /** Deadline of every unary call; a member that does not answer in time fails the call with `Timeout`. */
  readonly callTimeoutMs?: number;
  readonly tls?: EtcdTlsOptions;
}

const PROBE_KEY = Buffer.from('/');

/**
 * Storage on an etcd v3 cluster (3.4+), keys and values stored as given.
 *
 * - Writes are single transactions comparing the key's mod_revision; their results carry the revision from the
 *   response header. Writes are never retried (a replayed compare-and-swap could misreport its own success);
 *   reads are retried on another member when one is unavailable or times out (see MemberBreakers).
 * - TTLs are etcd leases shared between writes of the same TTL (see LeasePool).
 * - The compacted revision is not queryable in etcd 3.4: it is remembered from our own compactions and
 *   compaction errors, and otherwise found by probing reads at past revisions (see compactedRevision).
 * - Each watch has its own gRPC stream that is never re-established: when it breaks, the iteration fails with
 *   `Unavailable` and the caller resumes from the last revision it saw.
 */
export class EtcdStorage implements Storage {
  private readonly client: Etcd3;
  private readonly leases: LeasePool;
  private readonly closing = new AbortController();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly endpointCount: number;
  private knownCompacted = 0;
  private closed = false;

  private constructor(options: EtcdStorageOptions) {
    const timeoutMs = options.callTimeoutMs ?? 5000;
    this.endpointCount = options.endpoints.length;
    const tls = options.tls;
    const breakers = new MemberBreakers();
    this.client = new Etcd3({
      hosts: [...options.endpoints],
      ...(tls ? { credentials: { rootCertificate: tls.ca, certChain: tls.cert, privateKey: tls.key } } : {}),
      defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + timeoutMs }),
      faultHandling: {
        global: runOnce,
        host: options.endpoints.length > 1 ? (member) => breakers.policyFor(member) : () => runOnce,
      },
      grpcOptions: {
        'grpc.max_receive_message_length': -1,
        // The apiserver's etcd client keepalive: notices a silently dead member under a long-lived watch.
        'grpc.keepalive_time_ms': 30_000,
        'grpc.keepalive_timeout_ms': 10_000,
      },
    });
    this.leases = new LeasePool(async (ttl) => {
      const res = await this.client.leaseClient.leaseGrant({ TTL: ttl });
      return res.ID;
    });
  }

  /** Connects to the cluster and checks that it answers a quorum read within the call deadline. */
  static async open(options: EtcdStorageOptions): Promise<EtcdStorage> {
    if (options.endpoints.length === 0) throw new StorageError('InvalidArgument', '', 'no etcd endpoints given');
    const storage = new EtcdStorage(options);
    try {
      await storage.currentRevision();
    } catch (err) {
      await storage.close();
      throw err;
    }
    return storage;
  }

  async currentRevision(): Promise<number> {
    const res = await this.run('', true, () => this.client.kv.range({ key: PROBE_KEY, count_only: true }));
    return Number(res.header.revision);
  }

  async get(key: string, options?: ReadOptions): Promise<KeyValue | undefined> {
    const res = await this.range(key, { key: Buffer.from(key) }, options?.revision);
    const kv = res.kvs[0];
    return kv === undefined ? undefined : toKeyValue(kv);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const range = prefixRange(prefix);
    if (options.startKey !== undefined && !options.startKey.startsWith(prefix)) {
      throw new StorageError('InvalidArgument', options.startKey, `start key ${options.startKey} lies outside ${prefix}`);
    }
    const key = options.startKey !== undefined ? Buffer.from(options.startKey) : range.key;
    const res = await this.range(prefix, { key, range_end: range.rangeEnd, limit: options.limit ?? 0 }, options.revision);
    const items = res.kvs.map(toKeyValue);
    const revision = options.revision !== undefined && options.revision > 0 ? options.revision : Number(res.header.revision);
    const last = items[items.length - 1];
    if (!res.more || last === undefined) return { items, revision };
    return { items, revision, continueKey: keyAfter(last.key), remaining: Number(res.count) - items.length };
  }

  async count(prefix: string): Promise<number> {
    const range = prefixRange(prefix);
    const res = await this.range(prefix, { key: range.key, range_end: range.rangeEnd, count_only: true });
    return Number(res.count);
  }

  async create(key: string, value: string, options?: WriteOptions): Promise<KeyValue> {
    const k = Buffer.from(key);
    const res = await this.withLease(key, options, (lease) =>
      this.txn(key, {
        compare: [modRevisionIs(k, 'Equal', 0)],
        success: [{ request_put: { key: k, value: Buffer.from(value), lease } }],
      }),
    );
    if (!res.succeeded) throw StorageError.keyExists(key);
    const revision = Number(res.header.revision);
    return { key, value, createRevision: revision, modRevision: revision };
  }

  async update(key: string, value: string, expectedRevision: number, options?: WriteOptions): Promise<KeyValue> {
    if (expectedRevision <= 0) {
      const current = await this.get(key);
      throw current === undefined ? StorageError.notFound(key) : StorageError.conflict(key, current);
    }
    const k = Buffer.from(key);
    const res = await this.withLease(key, options, (lease) =>
      this.txn(key, {
        compare: [modRevisionIs(k, 'Equal', expectedRevision)],
        success: [{ request_put: { key: k, value: Buffer.from(value), lease } }, { request_range: { key: k, keys_only: true } }],
        failure: [{ request_range: { key: k } }],
      }),
    );
    if (!res.succeeded) throw casFailure(key, res);
    const revision = Number(res.header.revision);
    const written = res.responses[1]?.response_range.kvs[0];
    if (written === undefined) throw new StorageError('Unavailable', key, 'etcd did not return the written key');
    return { key, value, createRevision: Number(written.create_revision), modRevision: revision };
  }

  async delete(key: string, expectedRevision?: number): Promise<DeleteResult> {
    const k = Buffer.from(key);
    const res = await this.txn(key, {
      compare: [expectedRevision === undefined ? modRevisionIs(k, 'Greater', 0) : modRevisionIs(k, 'Equal', expectedRevision)],
      success: [{ request_delete_range: { key: k, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw casFailure(key, res);
    const prev = res.responses[0]?.response_delete_range.prev_kvs[0];
    if (prev === undefined) throw StorageError.notFound(key);
    return { prev: toKeyValue(prev), revision: Number(res.header.revision) };
  }

  guaranteedUpdate(key: string, fn: UpdateFunction, options?: WriteOptions): Promise<KeyValue | undefined> {
    return guaranteedUpdate(this, key, fn, options);
  }

  async compact(revision: number): Promise<void> {
    if (revision <= this.knownCompacted) return;
    try {
      await this.run('', true, () => this.client.kv.compact({ revision }));
    } catch (err) {
      if (isStorageError(err, 'FutureRevision')) {
        throw StorageError.futureRevision('', revision, await this.currentRevision().catch(() => revision - 1));
      }
      // "Compacted" means etcd is already compacted at or beyond `revision`.
      if (!isStorageError(err, 'Compacted')) throw err;
    }
    this.knownCompacted = Math.max(this.knownCompacted, revision);
  }

  /**
   * etcd reads fail below the compaction point and succeed at and above it, so the point is found by a binary
   * search of count-only reads between the last known compaction and the current revision. When nothing was
   * compacted since we last looked (the usual case) that is one read.
   */
  async compactedRevision(): Promise<number> {
    const known = this.knownCompacted;
    let unreadable = Math.max(known, 1);
    if (await this.readableAt(unreadable)) return known;
    let readable = await this.currentRevision();
    while (readable - unreadable > 1) {
      const mid = Math.floor((unreadable + readable) / 2);
      if (await this.readableAt(mid)) readable = mid;
      else unreadable = mid;
    }
    this.knownCompacted = Math.max(this.knownCompacted, readable);
    return this.knownCompacted;
  }

  watch(prefix: string, afterRevision: number, options: WatchOptions = {}): AsyncIterable<StorageEvent> {
    return this.watchFrom(prefix, afterRevision, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.pending]);
    this.closing.abort();
    this.client.close();
  }

  private async *watchFrom(prefix: string, afterRevision: number, options: WatchOptions): AsyncGenerator<StorageEvent, void, undefined> {
    if (this.closed) throw new StorageError('Unavailable', prefix, 'the etcd storage is closed');
    if (afterRevision < this.knownCompacted) throw StorageError.compacted(prefix, afterRevision + 1, this.knownCompacted);
    const { key, rangeEnd } = prefixRange(prefix);
    yield* etcdWatch({
      openStream: () => this.client.watchClient.watch(),
      prefix,
      key,
      rangeEnd,
      afterRevision,
      signals: options.signal ? [options.signal, this.closing.signal] : [this.closing.signal],
      onCompacted: (revision) => (this.knownCompacted = Math.max(this.knownCompacted, revision)),
    });
  }

  private async readableAt(revision: number): Promise<boolean> {
    try {
      await this.run('', true, () => this.client.kv.range({ key: PROBE_KEY, count_only: true, revision }));
      return true;
    } catch (err) {
      if (isStorageError(err, 'Compacted')) return false;
      throw err;
    }
  }

  /** A range read, with revision errors carrying the compaction point or the current revision. */
  private async range(key: string, req: IRangeRequest, revision?: number): Promise<IRangeResponse> {
    const rev = revision ?? 0;
    try {
      return await this.run(key, true, () => this.client.kv.range({ ...req, revision: rev }));
    } catch (err) {
      if (isStorageError(err, 'Compacted')) {
        const compacted = await this.compactedRevision().catch(() => Math.max(this.knownCompacted, rev + 1));
        throw StorageError.compacted(key, rev, compacted);
      }
      if (isStorageError(err, 'FutureRevision')) {
        throw StorageError.futureRevision(key, rev, await this.currentRevision().catch(() => rev - 1));
      }
      throw err;
    }
  }

  private txn(key: string, req: ITxnRequest): Promise<ITxnResponse> {
    return this.run(key, false, () => this.client.kv.txn(req));
  }

  /** Runs a write with the lease its TTL needs, once more with a fresh lease if etcd no longer knows the pooled one. */
  private async withLease<T>(key: string, options: WriteOptions | undefined, write: (lease: string | undefined) => Promise<T>): Promise<T> {
    const ttl = options?.ttlSeconds;
    if (ttl === undefined || ttl <= 0) return write(undefined);
    const lease = await this.run(key, true, () => this.leases.leaseFor(ttl));
    try {
      return await write(lease);
    } catch (err) {
      if (!isLeaseNotFoundError(err)) throw err;
      this.leases.forget(lease);
      return write(await this.run(key, true, () => this.leases.leaseFor(ttl)));
    }
  }

  /**
   * Runs one etcd call (under the per-call deadline set on the client), mapping failures to StorageErrors and
   * keeping close() waiting for it. `retry`: try again on another member after `Unavailable` or `Timeout`.
   */
  private run<T>(key: string, retry: boolean, call: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StorageError('Unavailable', key, 'the etcd storage is closed'));
    const attempts = retry ? this.endpointCount : 1;
    const attempt = async (): Promise<T> => {
      for (let i = 1; ; i++) {
        try {
          return await call();
        } catch (err) {
          const failure = toStorageError(err, key);
          if (i < attempts && !this.closed && (failure.code === 'Unavailable' || failure.code === 'Timeout')) continue;
          throw failure;
        }
      }
    };
    const promise = attempt();
    this.pending.add(promise);
    const untrack = (): void => void this.pending.delete(promise);
    promise.then(untrack, untrack);
    return promise;
  }
}
