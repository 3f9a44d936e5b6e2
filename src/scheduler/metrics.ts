/** What the scheduler reports about itself; the composition root backs it with Prometheus metrics. */
export interface SchedulerMetrics {
  /** One scheduling attempt: its result ('scheduled', 'unschedulable' or 'error'), profile and duration. */
  attempt(result: 'scheduled' | 'unschedulable' | 'error', profile: string, durationMs: number): void;
  /** Starts reporting the queue's pending Pods; returns how to stop. */
  watchQueue(stats: () => { active: number; backoff: number; unschedulable: number }): () => void;
}
