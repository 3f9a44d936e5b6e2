import { setMaxListeners } from 'node:events';
import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import { defaultLeaderIdentity, EventRecorder, InformerFactory, runLeaderElected, type EventSink, type RestClient } from '../client/index.js';
import type { Clock } from '../lib/index.js';
import { NamespaceController } from './namespace/namespace-controller.js';
import { GarbageCollector } from './garbage-collector/garbage-collector.js';
import { ReplicaSetController } from './replicaset/replicaset-controller.js';
import { ServiceAccountsController } from './serviceaccount/serviceaccounts-controller.js';
import { NodeLifecycleController } from './nodelifecycle/node-lifecycle-controller.js';
import { TaintEvictionController } from './tainteviction/taint-eviction-controller.js';
import { PodGCController } from './podgc/pod-gc-controller.js';
import { RootCACertPublisher } from './rootcacertpublisher/root-ca-cert-publisher.js';

/** The controllers this build has, with whether `*` turns them on (upstream's on-by-default set). */
export const KNOWN_CONTROLLERS: ReadonlyMap<string, { readonly onByDefault: boolean }> = new Map([
  ['replicaset', { onByDefault: true }],
  ['namespace', { onByDefault: true }],
  ['serviceaccount', { onByDefault: true }],
  ['garbage-collector', { onByDefault: true }],
  ['node-lifecycle', { onByDefault: true }],
  ['taint-eviction-controller', { onByDefault: true }],
  ['pod-garbage-collector', { onByDefault: true }],
  ['root-ca-certificate-publisher-controller', { onByDefault: true }],
]);

export interface ControllerManagerOptions {
  readonly client: RestClient;
  readonly clock: Clock;
  /** upstream's --controllers: `*` (every on-by-default one), `name` to enable, `-name` to disable. */
  readonly controllers?: readonly string[];
  /** Workers per controller (upstream's --concurrent-replicaset-syncs is 5). */
  readonly workers?: Readonly<Record<string, number>>;
  readonly leaderElect?: boolean;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  /** The Lease kube-system/kube-controller-manager by default. */
  readonly leaseNamespace?: string;
  readonly leaseName?: string;
  readonly identity?: string;
  /** --node-monitor-period and --node-monitor-grace-period (5 s, 50 s). */
  readonly nodeMonitorPeriodMs?: number;
  readonly nodeMonitorGracePeriodMs?: number;
  /** --terminated-pod-gc-threshold (12,500). */
  readonly terminatedPodGCThreshold?: number;
  /** The Pod GC's pass period (20 s) and missing-node quarantine (40 s); upstream has no flags for them. */
  readonly podGCCheckPeriodMs?: number;
  readonly podGCQuarantineMs?: number;
  /** The CA bundle published as kube-root-ca.crt in every namespace (--root-ca-file); without it that controller does not run. */
  readonly rootCA?: string;
  readonly log?: (message: string) => void;
}

/** Which controllers `--controllers` turns on; throws on an unknown name. */
export function enabledControllers(flags: readonly string[] = ['*']): string[] {
  for (const f of flags) {
    const name = f.replace(/^-/, '');
    if (name !== '*' && !KNOWN_CONTROLLERS.has(name)) throw new Error(`"${name}" is not in the list of known controllers`);
  }
  return [...KNOWN_CONTROLLERS].filter(([name, c]) => !flags.includes(`-${name}`) && (flags.includes(name) || (flags.includes('*') && c.onByDefault))).map(([name]) => name);
}

/**
 * kube-controller-manager: runs the enabled controllers over one shared set of informers, behind leader election on a
 * Lease when asked. `run` resolves when the signal aborts or, with leader election, when leadership is lost (upstream
 * then exits; so do we).
 */
export class ControllerManager {
  readonly identity: string;

  constructor(private readonly opts: ControllerManagerOptions) {
    this.identity = opts.identity ?? defaultLeaderIdentity();
  }

  async run(signal: AbortSignal): Promise<'stopped' | 'lost-leadership'> {
    if (!this.opts.leaderElect) {
      await this.runControllers(signal);
      return 'stopped';
    }
    const { client, clock, leaseDurationMs, renewDeadlineMs, retryPeriodMs, log } = this.opts;
    const namespace = this.opts.leaseNamespace ?? 'kube-system';
    const name = this.opts.leaseName ?? 'kube-controller-manager';
    const lease = { client, clock, namespace, name, identity: this.identity, leaseDurationMs, renewDeadlineMs, retryPeriodMs, log };
    return runLeaderElected(lease, signal, (leading) => this.runControllers(leading));
  }

  private async runControllers(signal: AbortSignal): Promise<void> {
    // Every informer, queue and wait of every controller listens for this one signal.
    setMaxListeners(0, signal);
    const { client, clock, log } = this.opts;
    const informers = new InformerFactory(client, { clock, log });
    const recorder = new EventRecorder({ sink: eventSink(client), component: 'replicaset-controller', clock, onError: (e) => log?.(`event: ${String(e)}`) });
    const recorderFor = (component: string) => new EventRecorder({ sink: eventSink(client), component, clock, onError: (e) => log?.(`event: ${String(e)}`) });
    const recorders = [recorder];
    const runs: Promise<void>[] = [];
    const controllers: { name: string; run(workers: number, signal: AbortSignal): Promise<void> }[] = [];
    for (const name of enabledControllers(this.opts.controllers)) {
      if (name === 'replicaset') controllers.push(new ReplicaSetController({ client, informers, recorder, clock, log }));
      if (name === 'namespace') controllers.push(new NamespaceController({ client, informers, clock, log }));
      if (name === 'serviceaccount') controllers.push(new ServiceAccountsController({ client, informers, clock, log }));
      if (name === 'garbage-collector') controllers.push(new GarbageCollector({ client, informers, clock, log }));
      if (name === 'node-lifecycle') {
        const r = recorderFor('node-controller');
        recorders.push(r);
        const { nodeMonitorPeriodMs, nodeMonitorGracePeriodMs } = this.opts;
        controllers.push(new NodeLifecycleController({ client, informers, recorder: r, clock, log, nodeMonitorPeriodMs, nodeMonitorGracePeriodMs }));
      }
      if (name === 'taint-eviction-controller') {
        const r = recorderFor('taint-eviction-controller');
        recorders.push(r);
        controllers.push(new TaintEvictionController({ client, informers, recorder: r, clock, log }));
      }
      if (name === 'pod-garbage-collector') {
        const o = this.opts;
        controllers.push(new PodGCController({ client, informers, clock, log, terminatedPodThreshold: o.terminatedPodGCThreshold, gcCheckPeriodMs: o.podGCCheckPeriodMs, quarantineMs: o.podGCQuarantineMs }));
      }
      if (name === 'root-ca-certificate-publisher-controller' && this.opts.rootCA) {
        controllers.push(new RootCACertPublisher({ client, informers, clock, log, rootCA: this.opts.rootCA }));
      }
    }
    informers.start(signal);
    for (const c of controllers) runs.push(c.run(this.opts.workers?.[c.name] ?? 5, signal));
    log?.(`started controllers: ${controllers.map((c) => c.name).join(', ')}`);
    await Promise.all(runs);
    await informers.stopped();
    for (const r of recorders) {
      await r.flush();
      r.shutDown();
    }
  }
}


function eventSink(client: RestClient): EventSink {
  const events = client.kind<CoreEvent>('v1', 'Event');
  return {
    create: (namespace, event) => events.create(namespace, event),
    patch: (namespace, name, patch) => events.patch(namespace, name, 'strategic', patch),
  };
}
