import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { ApiError } from '../api/index.js';
import type { Clock } from '../lib/index.js';
import { LeaderElector, type LeaseClient } from './leader-election.js';
import type { RestClient } from './rest-client.js';

export interface LeaderElectedRunOptions {
  readonly client: RestClient;
  readonly clock: Clock;
  /** The Lease, e.g. kube-system/kube-scheduler. */
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  readonly log?: (message: string) => void;
}

/** `<host>_<uuid>`, the holder identity upstream's components use. */
export function defaultLeaderIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

/**
 * Runs `work` only while holding the Lease (released when `signal` aborts), as upstream's components run behind
 * `--leader-elect`. Resolves 'lost-leadership' when leadership ended while the signal had not aborted (the caller
 * then exits, as upstream's do), else 'stopped'.
 */
export async function runLeaderElected(opts: LeaderElectedRunOptions, signal: AbortSignal, work: (leading: AbortSignal) => Promise<void>): Promise<'stopped' | 'lost-leadership'> {
  let led = false;
  const elector = new LeaderElector({
    client: leaseClientFor(opts.client),
    namespace: opts.namespace,
    name: opts.name,
    identity: opts.identity,
    leaseDurationMs: opts.leaseDurationMs,
    renewDeadlineMs: opts.renewDeadlineMs,
    retryPeriodMs: opts.retryPeriodMs,
    releaseOnCancel: true,
    clock: opts.clock,
    onStartedLeading: (leading) => {
      led = true;
      opts.log?.(`${opts.identity}: became leader`);
      return work(leading);
    },
    onStoppedLeading: () => {},
    onNewLeader: (id) => opts.log?.(`new leader: ${id}`),
    onError: (err) => opts.log?.(`leader election: ${err instanceof Error ? err.message : String(err)}`),
  });
  await elector.run(signal);
  return led && !signal.aborted ? 'lost-leadership' : 'stopped';
}

/** Leases through a RestClient, a missing one being `undefined`. */
export function leaseClientFor(client: RestClient): LeaseClient {
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
