import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { ApiError } from '../api/index.js';
import { LeaderElector, type LeaseClient, type RestClient } from '../client/index.js';
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
    this.identity = opts.identity ?? `${hostname()}_${randomUUID()}`;
  }

  async run(signal: AbortSignal): Promise<'stopped' | 'lost-leadership'> {
    if (!this.opts.leaderElect) {
      await new Scheduler(this.opts).run(signal);
      return 'stopped';
    }
    let led = false;
    const elector = new LeaderElector({
      client: leaseClient(this.opts.client),
      namespace: this.opts.leaseNamespace ?? 'kube-system',
      name: this.opts.leaseName ?? 'kube-scheduler',
      identity: this.identity,
      leaseDurationMs: this.opts.leaseDurationMs,
      renewDeadlineMs: this.opts.renewDeadlineMs,
      retryPeriodMs: this.opts.retryPeriodMs,
      releaseOnCancel: true,
      clock: this.opts.clock,
      onStartedLeading: (leading) => {
        led = true;
        this.opts.log?.(`${this.identity}: became leader`);
        return new Scheduler(this.opts).run(leading);
      },
      onStoppedLeading: () => {},
      onNewLeader: (id) => this.opts.log?.(`new leader: ${id}`),
      onError: (err) => this.opts.log?.(`leader election: ${err instanceof Error ? err.message : String(err)}`),
    });
    await elector.run(signal);
    return led && !signal.aborted ? 'lost-leadership' : 'stopped';
  }
}

function leaseClient(client: RestClient): LeaseClient {
  const leases = client.kind<Lease>('coordination.k8s.io/v1', 'Lease');
  return {
    async get(namespace, name) {
      try {
        return await leases.get(namespace, name);
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) return undefined;
        throw err;
      }
    },
    create: (lease) => leases.create(lease.metadata?.namespace ?? '', lease),
    update: (lease) => leases.update(lease.metadata?.namespace ?? '', lease),
  };
}
