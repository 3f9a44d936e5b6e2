import type { Lease, LeaseSpec } from 'kubernetes-types/coordination/v1.js';
import type { Clock } from '../lib/index.js';
import { realClock, sleep } from '../lib/index.js';

/**
 * The calls leader election makes on `coordination.k8s.io/v1` Leases. `get` resolves `undefined` when the
 * Lease does not exist. `update` must honour `metadata.resourceVersion` (optimistic concurrency) and rejects
 * with an ApiError of code 409 on a conflict; `create` rejects with 409 when the Lease already exists.
 */
export interface LeaseClient {
  get(namespace: string, name: string): Promise<Lease | undefined>;
  create(lease: Lease): Promise<Lease>;
  update(lease: Lease): Promise<Lease>;
}

/** client-go's JitterFactor (used to validate renewDeadline against retryPeriod, as upstream does). */
export const JITTER_FACTOR = 1.2;
/**
 * Candidates poll every retryPeriod × [1, 1.15) — tighter than client-go's [1, 2.2) — and also try exactly when the
 * observed Lease expires, so a dead leader is replaced within leaseDuration + 1.15 × retryPeriod of its last renewal
 * (17.3 s with the defaults) rather than up to leaseDuration + 2 × 2.2 × retryPeriod.
 */
export const CANDIDATE_JITTER = 0.15;

export interface LeaderElectorOptions {
  client: LeaseClient;
  namespace: string;
  name: string;
  /** This candidate's holderIdentity; must be unique among the candidates. */
  identity: string;
  /** How long non-leaders wait after last seeing the record change before taking over. Default 15 s. */
  leaseDurationMs?: number;
  /** How long the leader retries renewing before it gives up leadership. Default 10 s. */
  renewDeadlineMs?: number;
  /** How often candidates try to acquire and the leader renews. Default 2 s. */
  retryPeriodMs?: number;
  /** On abort of `run`'s signal, give the lease up so that another candidate takes over at once. */
  releaseOnCancel?: boolean;
  clock?: Clock;
  /** Source of jitter in [0, 1); Math.random by default. */
  random?: () => number;
  /** Called when this candidate becomes leader; `signal` aborts when it stops leading. Not awaited. */
  onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  /** Called once when `run` ends, whether or not this candidate ever led (as client-go does). */
  onStoppedLeading: () => void;
  /** Called when the observed holder changes (including to this candidate). */
  onNewLeader?: (identity: string) => void;
  /** Told about failed Lease calls, which are otherwise retried silently. */
  onError?: (err: unknown) => void;
}

/** client-go's LeaderElectionRecord, as carried in a Lease's spec. */
interface ElectionRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: string | undefined;
  renewTime: string | undefined;
  leaderTransitions: number;
}

/** metav1.MicroTime's wire form: `2006-01-02T15:04:05.000000Z`. */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

function recordFromSpec(spec: LeaseSpec | undefined): ElectionRecord {
  return {
    holderIdentity: spec?.holderIdentity ?? '',
    leaseDurationSeconds: spec?.leaseDurationSeconds ?? 0,
    acquireTime: spec?.acquireTime,
    renewTime: spec?.renewTime,
    leaderTransitions: spec?.leaseTransitions ?? 0,
  };
}

function specFromRecord(r: ElectionRecord): LeaseSpec {
  return {
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    ...(r.acquireTime !== undefined ? { acquireTime: r.acquireTime } : {}),
    ...(r.renewTime !== undefined ? { renewTime: r.renewTime } : {}),
    leaseTransitions: r.leaderTransitions,
  };
}

/**
 * Leader election on a Lease, as client-go's leaderelection package with its LeaseLock.
 *
 * Contract: `run` first tries to acquire the Lease every retryPeriod (jittered). It takes the Lease when it
 * does not exist, when it is held by this identity, when its holder is empty, or when it has not changed
 * for leaseDuration as measured on our clock from the moment we saw it change (the holder's clock is never
 * trusted). Having acquired it, `run` calls onStartedLeading and renews every retryPeriod; if a renewal does
 * not succeed within renewDeadline, or `run`'s signal aborts, leadership ends: the leading signal aborts,
 * the Lease is released if releaseOnCancel, onStoppedLeading is called and `run` resolves. A LeaderElector
 * runs once; use a new one to stand again.
 */
export class LeaderElector {
  private readonly o: Required<Omit<LeaderElectorOptions, 'onNewLeader' | 'onError'>> &
    Pick<LeaderElectorOptions, 'onNewLeader' | 'onError'>;
  private lease: Lease | undefined;
  private observed: ElectionRecord | undefined;
  private observedRaw = '';
  private observedTime = 0;
  private reportedLeader = '';
  private started = false;

  constructor(options: LeaderElectorOptions) {
    this.o = {
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      releaseOnCancel: false,
      clock: realClock,
      random: Math.random,
      ...options,
    };
    const { leaseDurationMs, renewDeadlineMs, retryPeriodMs } = this.o;
    if (!(leaseDurationMs > renewDeadlineMs)) throw new RangeError('leaseDuration must be greater than renewDeadline');
    if (!(renewDeadlineMs > JITTER_FACTOR * retryPeriodMs)) {
      throw new RangeError('renewDeadline must be greater than retryPeriod*JitterFactor');
    }
    if (!(retryPeriodMs > 0)) throw new RangeError('retryPeriod must be greater than zero');
    if (leaseDurationMs < 1000) throw new RangeError('leaseDuration must be at least one second');
    if (!this.o.identity) throw new RangeError('Lock identity is empty');
  }

  /** Whether the last observed record names this candidate as holder. */
  isLeader(): boolean {
    return this.observed?.holderIdentity === this.o.identity;
  }

  /** The holder in the last observed record ('' if none). */
  getLeader(): string {
    return this.observed?.holderIdentity ?? '';
  }

  async run(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error('LeaderElector.run may be called only once');
    this.started = true;
    try {
      if (!(await this.acquire(signal))) return;
      const leading = new AbortController();
      const stopLeading = () => leading.abort(signal.reason);
      signal.addEventListener('abort', stopLeading, { once: true });
      try {
        this.callback(() => this.o.onStartedLeading(leading.signal));
        await this.renew(signal);
      } finally {
        signal.removeEventListener('abort', stopLeading);
        leading.abort(signal.aborted ? signal.reason : new Error('leader election lost'));
      }
      if (this.o.releaseOnCancel) await this.release();
    } finally {
      this.callback(() => this.o.onStoppedLeading());
    }
  }

  private async acquire(signal: AbortSignal): Promise<boolean> {
    const { clock, retryPeriodMs, random } = this.o;
    for (;;) {
      if (signal.aborted) return false;
      const ok = await this.tryAcquireOrRenew(signal);
      this.maybeReportTransition();
      if (ok) return true;
      const jittered = retryPeriodMs * (1 + random() * CANDIDATE_JITTER);
      const holder = this.observed?.holderIdentity ?? '';
      const untilExpiry = holder === '' ? jittered : this.observedTime + (this.observed?.leaseDurationSeconds ?? 0) * 1000 - clock.now() + 1;
      if (!(await sleep(clock, Math.max(0, Math.min(jittered, untilExpiry)), signal))) return false;
    }
  }

  /** Renews until a renewal fails to succeed within renewDeadline or the signal aborts. */
  private async renew(signal: AbortSignal): Promise<void> {
    const { clock, retryPeriodMs, renewDeadlineMs } = this.o;
    for (;;) {
      const deadline = new AbortController();
      const cancelDeadline = clock.setTimer(() => deadline.abort(), renewDeadlineMs);
      let renewed = false;
      try {
        while (!renewed && !signal.aborted && !deadline.signal.aborted) {
          renewed = await this.withinDeadline(this.tryAcquireOrRenew(deadline.signal, signal), deadline.signal, signal);
          if (!renewed) await sleep(clock, retryPeriodMs, signal, deadline.signal);
        }
      } finally {
        cancelDeadline();
      }
      this.maybeReportTransition();
      if (!renewed) return;
      if (!(await sleep(clock, retryPeriodMs, signal))) return;
    }
  }

  private async release(): Promise<boolean> {
    if (!this.isLeader() || !this.observed) return true;
    const now = formatMicroTime(this.o.clock.now());
    const record: ElectionRecord = {
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: now,
      renewTime: now,
      leaderTransitions: this.observed.leaderTransitions,
    };
    const deadline = new AbortController();
    const cancel = this.o.clock.setTimer(() => deadline.abort(), this.o.renewDeadlineMs);
    try {
      const ok = await this.withinDeadline(
        this.updateLease(record).then(() => true, (err: unknown) => (this.report(err), false)),
        deadline.signal,
      );
      if (ok) this.setObserved(record);
      return ok;
    } finally {
      cancel();
    }
  }

  /** One attempt; mutates no state once any of `signals` has aborted (the attempt was abandoned). */
  private async tryAcquireOrRenew(...signals: AbortSignal[]): Promise<boolean> {
    const abandoned = () => signals.some((s) => s.aborted);
    const now = this.o.clock.now();
    const desired: ElectionRecord = {
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.floor(this.o.leaseDurationMs / 1000),
      acquireTime: formatMicroTime(now),
      renewTime: formatMicroTime(now),
      leaderTransitions: 0,
    };

    // Fast path: the leader assumes the record it last wrote is still current.
    if (this.isLeader() && this.isLeaseValid(now) && this.observed) {
      desired.acquireTime = this.observed.acquireTime;
      desired.leaderTransitions = this.observed.leaderTransitions;
      try {
        await this.updateLease(desired);
        if (abandoned()) return false;
        this.setObserved(desired);
        return true;
      } catch (err) {
        if (abandoned()) return false;
        this.report(err);
      }
    }

    let current: Lease | undefined;
    try {
      current = await this.o.client.get(this.o.namespace, this.o.name);
    } catch (err) {
      this.report(err);
      return false;
    }
    if (abandoned()) return false;
    if (!current) {
      try {
        const created = await this.o.client.create({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { namespace: this.o.namespace, name: this.o.name },
          spec: specFromRecord(desired),
        });
        if (abandoned()) return false;
        this.lease = created;
        this.setObserved(desired);
        return true;
      } catch (err) {
        this.report(err);
        return false;
      }
    }
    this.lease = current;
    const record = recordFromSpec(current.spec);
    const raw = JSON.stringify(record);
    if (raw !== this.observedRaw) {
      this.setObserved(record);
      this.observedRaw = raw;
    }
    if (record.holderIdentity !== '' && this.isLeaseValid(now) && !this.isLeader()) return false;

    if (this.isLeader()) {
      desired.acquireTime = record.acquireTime;
      desired.leaderTransitions = record.leaderTransitions;
    } else {
      desired.leaderTransitions = record.leaderTransitions + 1;
    }
    try {
      await this.updateLease(desired);
    } catch (err) {
      this.report(err);
      return false;
    }
    if (abandoned()) return false;
    this.setObserved(desired);
    return true;
  }

  private async updateLease(record: ElectionRecord): Promise<void> {
    if (!this.lease) throw new Error('lease not initialized, call get or create first');
    this.lease = await this.o.client.update({ ...this.lease, spec: specFromRecord(record) });
  }

  private isLeaseValid(now: number): boolean {
    return this.observedTime + (this.observed?.leaseDurationSeconds ?? 0) * 1000 > now;
  }

  private setObserved(record: ElectionRecord): void {
    this.observed = record;
    this.observedTime = this.o.clock.now();
  }

  private maybeReportTransition(): void {
    const holder = this.getLeader();
    if (holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    const onNewLeader = this.o.onNewLeader;
    if (onNewLeader) this.callback(() => onNewLeader(holder));
  }

  /** Resolves `false` if any signal aborts first; the attempt itself is then abandoned. */
  private withinDeadline(attempt: Promise<boolean>, ...signals: AbortSignal[]): Promise<boolean> {
    return new Promise((resolve) => {
      const onAbort = () => settle(false);
      const settle = (ok: boolean) => {
        for (const s of signals) s.removeEventListener('abort', onAbort);
        resolve(ok);
      };
      if (signals.some((s) => s.aborted)) return settle(false);
      for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
      attempt.then(settle, (err: unknown) => (this.report(err), settle(false)));
    });
  }

  private callback(fn: () => unknown): void {
    try {
      const result = fn();
      if (result instanceof Promise) result.catch((err: unknown) => this.report(err));
    } catch (err) {
      this.report(err);
    }
  }

  private report(err: unknown): void {
    try {
      this.o.onError?.(err);
    } catch {
      // A failing error hook must not stop the election.
    }
  }
}
