/** Grants an etcd lease of `ttlSeconds` and returns its ID (int64 as a decimal string). */
export type LeaseGranter = (ttlSeconds: number) => Promise<string>;

export interface LeasePoolOptions {
  /** Upper bound on how long one lease keeps being handed out (upstream: 60 s). */
  readonly reuseSeconds?: number;
  /** Reuse window as a fraction of the TTL, capped by `reuseSeconds` (upstream: 5%). */
  readonly reuseFraction?: number;
  /** Keys attached to one lease before a fresh one is granted (upstream: 1000). */
  readonly maxKeysPerLease?: number;
  readonly now?: () => number;
}

interface PooledLease {
  readonly id: string;
  readonly expiresAt: number;
  attached: number;
}

/**
 * Hands out etcd leases for TTL writes, reusing a recent lease of the same TTL (the policy of the apiserver's
 * etcd3 leaseManager): a lease is granted for `ttl + reuse` seconds and shared by every write of that TTL made
 * within the next `reuse` seconds, so such keys live between `ttl` and `ttl + reuse` seconds and a burst of
 * Events costs one LeaseGrant instead of one per write. Reuse = min(reuseFraction × ttl, reuseSeconds); TTLs
 * too short for a whole second of reuse get a lease per write.
 */
export class LeasePool {
  private readonly reuseSeconds: number;
  private readonly reuseFraction: number;
  private readonly maxKeysPerLease: number;
  private readonly now: () => number;
  private readonly byTtl = new Map<number, PooledLease>();
  /** Serializes acquisitions so concurrent writes share one grant instead of racing to make several. */
  private queue: Promise<unknown> = Promise.resolve();
  /** LeaseGrant calls made so far. */
  grants = 0;

  constructor(
    private readonly grant: LeaseGranter,
    options: LeasePoolOptions = {},
  ) {
    this.reuseSeconds = options.reuseSeconds ?? 60;
    this.reuseFraction = options.reuseFraction ?? 0.05;
    this.maxKeysPerLease = options.maxKeysPerLease ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** A lease that keeps a key written now for at least `ttlSeconds`. */
  leaseFor(ttlSeconds: number): Promise<string> {
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    const next = this.queue.then(() => this.acquire(ttl));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Stops handing out `id` (the server no longer knows it, e.g. it was revoked). */
  forget(id: string): void {
    for (const [ttl, lease] of this.byTtl) if (lease.id === id) this.byTtl.delete(ttl);
  }

  private async acquire(ttl: number): Promise<string> {
    const now = this.now();
    const reuse = Math.min(Math.floor(this.reuseFraction * ttl), this.reuseSeconds);
    const cached = this.byTtl.get(ttl);
    if (cached !== undefined && now + ttl * 1000 < cached.expiresAt && cached.attached < this.maxKeysPerLease) {
      cached.attached++;
      return cached.id;
    }
    const id = await this.grant(ttl + reuse);
    this.grants++;
    this.dropExpired(now);
    if (reuse > 0) this.byTtl.set(ttl, { id, expiresAt: now + (ttl + reuse) * 1000, attached: 1 });
    return id;
  }

  private dropExpired(now: number): void {
    for (const [ttl, lease] of this.byTtl) if (lease.expiresAt <= now) this.byTtl.delete(ttl);
  }
}
