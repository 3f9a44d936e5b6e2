import { defaultLeaderIdentity, runLeaderElected } from '../client/index.js';
import type { Clock } from '../lib/index.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';

export interface SchedulerServerOptions extends SchedulerOptions {
  readonly leaderElect?: boolean;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  /** The Lease kube-system/kube-scheduler by default. */
  readonly leaseNamespace?: string;
  readonly leaseName?: string;
  readonly identity?: string;
  readonly clock: Clock;
}

/**
 * kube-scheduler as a process runs it: the Scheduler, behind leader election on a Lease when asked. `run` resolves when
 * the signal aborts or, with leader election, when leadership is lost (the command then exits, as upstream does).
 */
export class SchedulerServer {
  readonly identity: string;

  constructor(private readonly opts: SchedulerServerOptions) {
    this.identity = opts.identity ?? defaultLeaderIdentity();
  }

  async run(signal: AbortSignal): Promise<'stopped' | 'lost-leadership'> {
    if (!this.opts.leaderElect) {
      await new Scheduler(this.opts).run(signal);
      return 'stopped';
    }
    const { client, clock, leaseDurationMs, renewDeadlineMs, retryPeriodMs, log } = this.opts;
    const namespace = this.opts.leaseNamespace ?? 'kube-system';
    const name = this.opts.leaseName ?? 'kube-scheduler';
    const lease = { client, clock, namespace, name, identity: this.identity, leaseDurationMs, renewDeadlineMs, retryPeriodMs, log };
    return runLeaderElected(lease, signal, (leading) => new Scheduler(this.opts).run(leading));
  }
}

