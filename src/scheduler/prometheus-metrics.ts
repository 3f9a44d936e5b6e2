import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { SchedulerMetrics } from './metrics.js';

/**
 * upstream's scheduler metrics in a prom-client Registry: scheduler_schedule_attempts_total{result,profile},
 * scheduler_scheduling_attempt_duration_seconds{result,profile} (buckets 1 ms doubling to ~16 s, as upstream) and
 * scheduler_pending_pods{queue} (active, backoff, unschedulable, gated).
 */
export class PrometheusSchedulerMetrics implements SchedulerMetrics {
  private readonly attempts: Counter<'result' | 'profile'>;
  private readonly duration: Histogram<'result' | 'profile'>;
  private readonly pending: Gauge<'queue'>;
  private stats: (() => { active: number; backoff: number; unschedulable: number }) | undefined;

  constructor(registry: Registry) {
    const registers = [registry];
    this.attempts = new Counter({
      name: 'scheduler_schedule_attempts_total',
      help: 'Number of attempts to schedule pods, by the result. \'unschedulable\' means a pod could not be scheduled, while \'error\' means an internal scheduler problem.',
      labelNames: ['result', 'profile'],
      registers,
    });
    this.duration = new Histogram({
      name: 'scheduler_scheduling_attempt_duration_seconds',
      help: 'Scheduling attempt latency in seconds (scheduling algorithm + binding)',
      labelNames: ['result', 'profile'],
      buckets: Array.from({ length: 15 }, (_, i) => 0.001 * 2 ** i),
      registers,
    });
    const current = () => this.stats?.() ?? { active: 0, backoff: 0, unschedulable: 0 };
    this.pending = new Gauge({
      name: 'scheduler_pending_pods',
      help: "Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods that the scheduler attempted to schedule and failed; 'gated' is the number of unschedulable pods that the scheduler never attempted to schedule because they are gated.",
      labelNames: ['queue'],
      registers,
      collect() {
        const s = current();
        this.set({ queue: 'active' }, s.active);
        this.set({ queue: 'backoff' }, s.backoff);
        this.set({ queue: 'unschedulable' }, s.unschedulable);
        this.set({ queue: 'gated' }, 0);
      },
    });
  }

  attempt(result: 'scheduled' | 'unschedulable' | 'error', profile: string, durationMs: number): void {
    this.attempts.inc({ result, profile });
    this.duration.observe({ result, profile }, durationMs / 1000);
  }

  watchQueue(stats: () => { active: number; backoff: number; unschedulable: number }): () => void {
    this.stats = stats;
    return () => {
      if (this.stats === stats) this.stats = undefined;
    };
  }
}
