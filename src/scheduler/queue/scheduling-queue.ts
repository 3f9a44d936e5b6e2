import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../lib/index.js';
import type { QueuedPodInfo } from '../framework/interfaces.js';
import { PodInfo, podKey } from '../framework/pod-info.js';
import { Heap } from './heap.js';

export interface SchedulingQueueOptions {
  readonly clock: Clock;
  /** The QueueSort plugin's order. */
  readonly less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  /** upstream's podInitialBackoffSeconds (1 s) and podMaxBackoffSeconds (10 s). */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** upstream's podMaxInUnschedulablePodsDuration: 5 minutes. */
  readonly maxUnschedulableMs?: number;
}

/** A cluster event that may make unschedulable Pods schedulable; `plugins` are those whose answer it may change ('*': any). */
export interface ClusterEvent {
  readonly label: string;
  readonly plugins: readonly string[] | '*';
}

export const NODE_ADD: ClusterEvent = { label: 'NodeAdd', plugins: '*' };
export const NODE_UPDATE: ClusterEvent = { label: 'NodeUpdate', plugins: '*' };
export const ASSIGNED_POD_DELETE: ClusterEvent = { label: 'AssignedPodDelete', plugins: '*' };
export const ASSIGNED_POD_ADD: ClusterEvent = { label: 'AssignedPodAdd', plugins: ['InterPodAffinity', 'PodTopologySpread'] };
export const UNSCHEDULABLE_TIMEOUT: ClusterEvent = { label: 'UnschedulableTimeout', plugins: '*' };

/**
 * upstream's PriorityQueue: an active queue in QueueSort order that `pop` hands out, a backoff queue of Pods waiting out
 * their backoff (1 s doubling to 10 s per attempt), and the unschedulable Pods, which move back when an event that
 * concerns a plugin that rejected them happens, and in any case after 5 minutes. A Pod is in at most one of them,
 * and in none while it is being scheduled (between `pop` and `addUnschedulableIfNotPresent`, or forever once bound).
 * Timers run on the injected clock (flushes every 1 s and 30 s, as upstream).
 */
export class SchedulingQueue {
  private readonly activeQ: Heap<QueuedPodInfo>;
  private readonly backoffQ: Heap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly waiters: ((p: QueuedPodInfo | undefined) => void)[] = [];
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  /** Incremented by every pop; a move request records the cycle it happened in. */
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private closed = false;
  private readonly stopTimers: (() => void)[] = [];

  constructor(private readonly opts: SchedulingQueueOptions) {
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = opts.maxUnschedulableMs ?? 5 * 60_000;
    this.activeQ = new Heap((p) => p.podInfo.key, opts.less);
    this.backoffQ = new Heap((p) => p.podInfo.key, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  }

  /** Starts the periodic flushes: the backoff queue every second, unschedulable Pods every 30 s. */
  run(): void {
    this.every(1000, () => this.flushBackoffCompleted());
    this.every(30_000, () => this.flushUnschedulableLeftover());
  }

  close(): void {
    this.closed = true;
    for (const stop of this.stopTimers) stop();
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  get cycle(): number {
    return this.schedulingCycle;
  }

  /** Pending Pods per queue (upstream's scheduler_pending_pods). */
  stats(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size };
  }

  has(key: string): boolean {
    return this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key);
  }

  /** A new Pending Pod: straight into the active queue. */
  add(pod: Pod): void {
    const now = this.opts.clock.now();
    const key = podKey(pod);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    const existing = this.activeQ.get(key);
    if (existing) {
      existing.podInfo = new PodInfo(pod);
      this.activeQ.addOrUpdate(existing);
      return;
    }
    this.push({ podInfo: new PodInfo(pod), initialAttemptTimestamp: now, timestamp: now, attempts: 0, unschedulablePlugins: new Set() });
  }

  /**
   * The Pod changed. Where it waits it is replaced; an unschedulable Pod whose spec, labels or annotations changed is
   * worth another attempt (to the backoff queue while backing off), a status-only change leaves it where it is.
   */
  update(oldPod: Pod | undefined, pod: Pod): void {
    const key = podKey(pod);
    for (const q of [this.activeQ, this.backoffQ]) {
      const p = q.get(key);
      if (p) {
        p.podInfo = new PodInfo(pod);
        q.addOrUpdate(p);
        return;
      }
    }
    const p = this.unschedulable.get(key);
    if (!p) return;
    p.podInfo = new PodInfo(pod);
    if (oldPod && !specChanged(oldPod, pod)) return;
    this.unschedulable.delete(key);
    if (this.isBackingOff(p)) this.backoffQ.addOrUpdate(p);
    else this.push(p);
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
  }

  /** The next Pod to schedule; waits while the active queue is empty; undefined once closed or aborted. */
  pop(signal?: AbortSignal): Promise<QueuedPodInfo | undefined> {
    if (this.closed || signal?.aborted) return Promise.resolve(undefined);
    const p = this.activeQ.pop();
    if (p) return Promise.resolve(this.handOut(p));
    return new Promise((resolve) => {
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(undefined);
      };
      const waiter = (item: QueuedPodInfo | undefined) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(item);
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * A Pod whose attempt (in `podCycle`) failed comes back: to the backoff queue when it failed with an error, or when a
   * move request came in since its attempt began (it may fit now); otherwise among the unschedulable Pods.
   */
  addUnschedulableIfNotPresent(p: QueuedPodInfo, podCycle: number, failedWithError = false): void {
    const key = p.podInfo.key;
    if (this.has(key)) return;
    p.timestamp = this.opts.clock.now();
    if (failedWithError || this.moveRequestCycle >= podCycle) this.backoffQ.addOrUpdate(p);
    else this.unschedulable.set(key, p);
  }

  /** Moves the unschedulable Pods that the event may help (per the plugins that rejected them) to the active or backoff queue. */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent): void {
    const moved: QueuedPodInfo[] = [];
    for (const p of this.unschedulable.values()) if (concerns(event, p)) moved.push(p);
    this.movePods(moved);
    this.moveRequestCycle = this.schedulingCycle;
  }

  /** How long a Pod that has been tried `attempts` times backs off: 1 s, 2 s, 4 s, … at most 10 s. */
  backoffDuration(attempts: number): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      d *= 2;
      if (d > this.maxBackoffMs) return this.maxBackoffMs;
    }
    return d;
  }

  flushBackoffCompleted(): void {
    const now = this.opts.clock.now();
    for (let p = this.backoffQ.peek(); p && this.backoffExpiry(p) <= now; p = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.push(p);
    }
  }

  flushUnschedulableLeftover(): void {
    const now = this.opts.clock.now();
    const moved = [...this.unschedulable.values()].filter((p) => now - p.timestamp > this.maxUnschedulableMs);
    this.movePods(moved);
  }

  private movePods(pods: readonly QueuedPodInfo[]): void {
    for (const p of pods) {
      this.unschedulable.delete(p.podInfo.key);
      if (this.isBackingOff(p)) this.backoffQ.addOrUpdate(p);
      else this.push(p);
    }
  }

  private isBackingOff(p: QueuedPodInfo): boolean {
    return this.backoffExpiry(p) > this.opts.clock.now();
  }

  private backoffExpiry(p: QueuedPodInfo): number {
    return p.timestamp + this.backoffDuration(p.attempts);
  }

  private push(p: QueuedPodInfo): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.handOut(p));
    else this.activeQ.addOrUpdate(p);
  }

  private handOut(p: QueuedPodInfo): QueuedPodInfo {
    p.attempts++;
    this.schedulingCycle++;
    return p;
  }

  private every(ms: number, fn: () => void): void {
    let cancel = () => {};
    const tick = () => {
      if (this.closed) return;
      fn();
      cancel = this.opts.clock.setTimer(tick, ms);
    };
    cancel = this.opts.clock.setTimer(tick, ms);
    this.stopTimers.push(() => cancel());
  }
}

function concerns(event: ClusterEvent, p: QueuedPodInfo): boolean {
  if (event.plugins === '*' || p.unschedulablePlugins.size === 0) return true;
  return event.plugins.some((name) => p.unschedulablePlugins.has(name));
}

/** Whether anything but status and bookkeeping metadata changed (upstream's isPodUpdated). */
function specChanged(a: Pod, b: Pod): boolean {
  const strip = (p: Pod) => JSON.stringify({ spec: p.spec, labels: p.metadata?.labels, annotations: p.metadata?.annotations, deletion: p.metadata?.deletionTimestamp });
  return strip(a) !== strip(b);
}
