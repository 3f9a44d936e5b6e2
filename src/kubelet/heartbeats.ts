import type { Clock } from '../lib/index.js';

/** The jitter factor of upstream's heartbeat loops (wait.JitterUntil(…, 0.04, sliding) for the Lease and node status). */
export const HEARTBEAT_JITTER = 0.04;

interface Task {
  due: number;
  readonly periodMs: number;
  readonly fn: () => Promise<void>;
  readonly onError: (err: unknown) => void;
  /** Position in the heap; -1 while the task runs or once it is cancelled. */
  index: number;
  cancelled: boolean;
}

/**
 * The periodic work of many nodes (Lease renewals, node status checks) on one timer: tasks sit in a heap by due time,
 * the single timer is armed for the earliest. As upstream's wait.JitterUntil(f, period, 0.04, sliding=true), the next
 * run of a task is due period × (1 + 0.04 × rand) after its previous run finished; the first run is spread at random
 * over the period so that many nodes started together do not beat in step. Everything stops when the signal aborts,
 * with a single abort listener however many tasks there are. One wake-up runs every task due within `coalesceMs`
 * (50 ms, well inside the jitter of a 10 s period): fewer timers, and requests that leave together share the
 * connection's writes.
 */
export class Heartbeats {
  private readonly heap: Task[] = [];
  private cancelTimer: (() => void) | undefined;
  private armedAt = Infinity;
  private stopped = false;
  /** Resolves once the signal aborts. */
  readonly done: Promise<void>;

  constructor(
    private readonly clock: Clock,
    signal: AbortSignal,
    private readonly random: () => number = Math.random,
    private readonly coalesceMs = 50,
  ) {
    let resolve!: () => void;
    this.done = new Promise((r) => (resolve = r));
    const stop = () => {
      this.stopped = true;
      this.cancelTimer?.();
      this.cancelTimer = undefined;
      this.heap.length = 0;
      resolve();
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  }

  /**
   * Runs `fn` every `periodMs` (jittered) until the signal aborts or the returned function is called. A run that
   * fails reports to `onError` and the task goes on; runs of one task never overlap.
   */
  every(periodMs: number, fn: () => Promise<void>, onError: (err: unknown) => void = () => {}): () => void {
    const task: Task = { due: this.clock.now() + this.random() * periodMs, periodMs, fn, onError, index: -1, cancelled: this.stopped };
    if (!this.stopped) this.push(task);
    return () => {
      if (task.cancelled) return;
      task.cancelled = true;
      if (task.index >= 0) this.remove(task);
    };
  }

  /** Tasks waiting for their next run. */
  get size(): number {
    return this.heap.length;
  }

  private fire(): void {
    this.cancelTimer = undefined;
    this.armedAt = Infinity;
    const now = this.clock.now();
    // Bounded by the heap: a task goes back in only once its run has finished.
    for (let n = this.heap.length; n > 0 && !this.stopped; n--) {
      const top = this.heap[0];
      if (!top || top.due > now + this.coalesceMs) break;
      this.pop();
      this.run(top);
    }
    this.arm();
  }

  private run(task: Task): void {
    const next = () => {
      if (task.cancelled || this.stopped) return;
      task.due = this.clock.now() + task.periodMs * (1 + HEARTBEAT_JITTER * this.random());
      this.push(task);
    };
    let p: Promise<void>;
    try {
      p = task.fn();
    } catch (err) {
      task.onError(err);
      next();
      return;
    }
    p.then(next, (err: unknown) => {
      task.onError(err);
      next();
    });
  }

  private arm(): void {
    const top = this.heap[0];
    if (this.stopped || !top || top.due >= this.armedAt) return;
    this.cancelTimer?.();
    this.armedAt = top.due;
    this.cancelTimer = this.clock.setTimer(() => this.fire(), Math.max(0, top.due - this.clock.now()));
  }

  private push(task: Task): void {
    task.index = this.heap.length;
    this.heap.push(task);
    this.up(task.index);
    this.arm();
  }

  private pop(): void {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    top.index = -1;
    if (last === top) return;
    this.heap[0] = last;
    last.index = 0;
    this.down(0);
  }

  private remove(task: Task): void {
    const i = task.index;
    const last = this.heap.pop()!;
    task.index = -1;
    if (last === task) return;
    this.heap[i] = last;
    last.index = i;
    this.down(i);
    this.up(last.index);
  }

  private up(i: number): void {
    const heap = this.heap;
    const t = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (p.due <= t.due) break;
      heap[i] = p;
      p.index = i;
      i = parent;
    }
    heap[i] = t;
    t.index = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const t = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && heap[r]!.due < heap[l]!.due ? r : l;
      const child = heap[c]!;
      if (child.due >= t.due) break;
      heap[i] = child;
      child.index = i;
      i = c;
    }
    heap[i] = t;
    t.index = i;
  }
}
