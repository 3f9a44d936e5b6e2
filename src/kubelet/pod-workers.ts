import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../lib/index.js';

/** The lifecycle a Pod goes through on this node (pod_workers.go): never backwards. */
export type PodWorkerState = 'syncing' | 'terminating' | 'terminated';

/** What the workers call; one call at a time per Pod. */
export interface PodLifecycle {
  /** Makes the Pod run as its spec says. `terminal`: it reached Succeeded or Failed and should be stopped. */
  syncPod(pod: Pod): Promise<{ terminal: boolean; requeueAfterMs?: number }>;
  /** Stops every container within the grace period. */
  syncTerminatingPod(pod: Pod, gracePeriodSeconds: number): Promise<void>;
  /** Cleans up after the containers stopped: final status, and the API deletion of a Pod being deleted. */
  syncTerminatedPod(pod: Pod, removedFromApi: boolean): Promise<void>;
}

interface Worker {
  pod: Pod;
  state: PodWorkerState;
  removedFromApi: boolean;
  /** A worker is running for this uid (at most one). */
  working: boolean;
  /** Something happened since the running pass began: run another. */
  pending: boolean;
  cancelTimer?: () => void;
  failures: number;
}

export interface PodWorkersOptions {
  readonly lifecycle: PodLifecycle;
  readonly clock: Clock;
  readonly log?: (message: string) => void;
}

/**
 * One serialized worker per Pod UID. `update` hands the newest Pod to its worker: if a pass is running, the worker
 * runs again afterwards with the last Pod given (last update wins). A Pod with a deletionTimestamp, removed from the
 * API, or terminal moves syncing → terminating → terminated; a terminated worker is forgotten once the Pod is gone
 * from the API. Failed passes are retried with a back-off (1 s doubling to 1 min).
 */
export class PodWorkers {
  private readonly workers = new Map<string, Worker>();
  private readonly log: (m: string) => void;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly o: PodWorkersOptions) {
    this.log = o.log ?? (() => {});
  }

  /** The Pod was added or changed in the API. */
  update(pod: Pod): void {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    let w = this.workers.get(uid);
    if (!w) {
      w = { pod, state: 'syncing', removedFromApi: false, working: false, pending: false, failures: 0 };
      this.workers.set(uid, w);
    }
    w.pod = pod;
    this.kick(uid, w);
  }

  /** The Pod is gone from the API (deleted with grace 0, or its deletion completed). */
  remove(pod: Pod): void {
    const uid = pod.metadata?.uid;
    const w = uid ? this.workers.get(uid) : undefined;
    if (!uid || !w) return;
    w.removedFromApi = true;
    this.kick(uid, w);
  }

  /** Something changed in the runtime for this Pod (a container exited): sync it again. */
  wake(uid: string): void {
    const w = this.workers.get(uid);
    if (w) this.kick(uid, w);
  }

  state(uid: string): PodWorkerState | undefined {
    return this.workers.get(uid)?.state;
  }

  get size(): number {
    return this.workers.size;
  }

  /** Resolves when no worker is running a pass (tests). */
  whenIdle(): Promise<void> {
    if (![...this.workers.values()].some((w) => w.working)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    for (const w of this.workers.values()) w.cancelTimer?.();
  }

  private kick(uid: string, w: Worker): void {
    w.pending = true;
    w.cancelTimer?.();
    w.cancelTimer = undefined;
    if (!w.working) void this.work(uid, w);
  }

  private after(uid: string, w: Worker, ms: number): void {
    w.cancelTimer?.();
    w.cancelTimer = this.o.clock.setTimer(() => {
      w.cancelTimer = undefined;
      this.kick(uid, w);
    }, ms);
  }

  private async work(uid: string, w: Worker): Promise<void> {
    w.working = true;
    try {
      // Bounded: each pass either moves the state forward or ends with a timer or nothing pending.
      for (let passes = 0; w.pending && passes < 100; passes++) {
        w.pending = false;
        const pod = w.pod;
        try {
          if (w.state === 'syncing') {
            if (pod.metadata?.deletionTimestamp || w.removedFromApi) {
              w.state = 'terminating';
              w.pending = true;
              continue;
            }
            const result = await this.o.lifecycle.syncPod(pod);
            if (result.terminal) {
              w.state = 'terminating';
              w.pending = true;
            } else if (result.requeueAfterMs === 0) {
              w.pending = true;
            } else if (result.requeueAfterMs !== undefined) {
              this.after(uid, w, result.requeueAfterMs);
            }
          } else if (w.state === 'terminating') {
            const grace = w.removedFromApi ? 0 : (pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30);
            await this.o.lifecycle.syncTerminatingPod(pod, grace);
            w.state = 'terminated';
            w.pending = true;
          } else {
            await this.o.lifecycle.syncTerminatedPod(pod, w.removedFromApi);
            if (w.removedFromApi) {
              w.cancelTimer?.();
              this.workers.delete(uid);
              return;
            }
          }
          w.failures = 0;
        } catch (err) {
          w.failures++;
          const delay = Math.min(1000 * 2 ** (w.failures - 1), 60_000);
          this.log(`pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}: ${w.state}: ${err instanceof Error ? err.message : String(err)} (retry in ${delay} ms)`);
          this.after(uid, w, delay);
        }
      }
      if (w.pending) this.after(uid, w, 0);
    } finally {
      w.working = false;
      if (![...this.workers.values()].some((x) => x.working)) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const r of waiters) r();
      }
    }
  }
}
