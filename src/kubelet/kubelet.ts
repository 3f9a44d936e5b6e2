import type { ConfigMap, Node, Pod, PodStatus, Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { isNotFound, Quantity } from '../api/index.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { EventRecorder, ResourceClient } from '../client/index.js';
import type { Clock } from '../lib/index.js';
import { ContainerBackoff } from './container-backoff.js';
import { containerEnv, type EnvSources } from './container-env.js';
import type { Heartbeats } from './heartbeats.js';
import { NodeAgent } from './node-agent.js';
import type { NodeConfig } from './node-config.js';
import { PodSync } from './pod-sync.js';
import type { ObservedPod } from './pod-status.js';
import { Prober } from './probes/prober.js';
import { PodVolumes } from './volumes/pod-volumes.js';
import { TokenManager } from './token-manager.js';
import { type PodLifecycle, PodWorkers } from './pod-workers.js';
import type { ContainerRuntime } from './runtime/index.js';
import { StatusManager } from './status-manager.js';

export interface KubeletOptions {
  readonly config: NodeConfig;
  readonly runtime: ContainerRuntime;
  readonly pods: ResourceClient<Pod>;
  readonly nodes: ResourceClient<Node>;
  readonly leases: ResourceClient<Lease>;
  /** Where env and envFrom read ConfigMaps and Secrets (without them, such references fail). */
  readonly configMaps?: ResourceClient<ConfigMap>;
  readonly secrets?: ResourceClient<Secret>;
  /** For the service account tokens of projected volumes (TokenRequest). */
  readonly serviceAccounts?: ResourceClient<ServiceAccount>;
  readonly clock: Clock;
  /** Where Pod directories (volumes) are made; without it volumes are not materialised (simulated runtimes). */
  readonly podsDir?: string;
  /** hostPath volumes are allowed (--allow-host-path). */
  readonly allowHostPath?: boolean;
  /** The Node as the node informer sees it. */
  readonly currentNode: () => Node | undefined;
  readonly recorder?: EventRecorder;
  /** CrashLoopBackOff: first delay (10 s) and cap (5 min). */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  readonly nodeStatusUpdateFrequencyMs?: number;
  readonly nodeStatusReportFrequencyMs?: number;
  /** --node-lease-duration-seconds (40); the Lease is renewed every quarter of it. */
  readonly nodeLeaseDurationSeconds?: number;
  readonly log?: (message: string) => void;
}

/**
 * One node's kubelet: its NodeAgent (registration, Lease, node status) and the Pods bound to it, each run by a
 * PodWorkers worker through PodSync on the runtime, with statuses written by the StatusManager. Pods reach it
 * through `podAdded`/`podUpdated`/`podDeleted` (the process's Pod informer, filtered to this node).
 */
export class Kubelet implements PodLifecycle {
  readonly agent: NodeAgent;
  readonly workers: PodWorkers;
  readonly statuses: StatusManager;
  private readonly sync: PodSync;
  private readonly deleted = new Set<string>();
  private readonly log: (m: string) => void;

  constructor(private readonly o: KubeletOptions) {
    this.log = o.log ?? (() => {});
    this.agent = new NodeAgent({
      config: o.config,
      nodes: o.nodes,
      leases: o.leases,
      clock: o.clock,
      currentNode: o.currentNode,
      statusUpdateFrequencyMs: o.nodeStatusUpdateFrequencyMs,
      statusReportFrequencyMs: o.nodeStatusReportFrequencyMs,
      leaseDurationSeconds: o.nodeLeaseDurationSeconds,
      log: this.log,
    });
    this.statuses = new StatusManager(o.pods, this.log, o.clock);
    const event = o.recorder ? (pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string) => o.recorder?.event({ apiVersion: 'v1', kind: 'Pod', ...pod }, type, reason, message) : undefined;
    this.sync = new PodSync({
      runtime: o.runtime,
      clock: o.clock,
      hostIP: o.config.address,
      runtimeName: o.config.runtimeName,
      backoff: new ContainerBackoff(o.clock, o.backoffBaseMs ?? 10_000, o.backoffMaxMs ?? 300_000),
      nodeMemoryBytes: o.config.capacity.memory ? Number(Quantity.parse(o.config.capacity.memory).value()) : undefined,
      containerEnv: (pod, container, podIPs) => containerEnv(pod, container, envSources(o), { hostIP: o.config.address, podIPs, allocatable: o.config.capacity }),
      volumes: o.podsDir
        ? new PodVolumes({
            podsDir: o.podsDir,
            sources: envSources(o),
            env: { hostIP: o.config.address, podIPs: [], allocatable: o.config.capacity },
            allowHostPath: o.allowHostPath ?? false,
            tokens: o.serviceAccounts ? new TokenManager({ serviceAccounts: o.serviceAccounts, clock: o.clock }) : undefined,
          })
        : undefined,
      prober: new Prober({ clock: o.clock, wake: (uid) => this.workers.wake(uid), event }),
      event,
    });
    this.workers = new PodWorkers({ lifecycle: this, clock: o.clock, log: this.log });
    o.runtime.onContainerEvent((e) => {
      if (e.type === 'CONTAINER_STOPPED_EVENT') this.workers.wake(e.podUid);
    });
  }

  get runtime(): ContainerRuntime {
    return this.o.runtime;
  }

  get nodeName(): string {
    return this.o.config.nodeName;
  }

  /** Registers the node and heartbeats (on the process's shared `heartbeats` when given) until the signal aborts. */
  async run(signal: AbortSignal, heartbeats?: Heartbeats): Promise<void> {
    signal.addEventListener('abort', () => this.workers.stop(), { once: true });
    await this.agent.run(signal, heartbeats);
  }

  podAdded(pod: Pod): void {
    this.workers.update(pod);
  }

  podUpdated(pod: Pod): void {
    this.workers.update(pod);
  }

  podDeleted(pod: Pod): void {
    this.workers.remove(pod);
  }

  async syncPod(pod: Pod): Promise<{ terminal: boolean; requeueAfterMs?: number }> {
    const result = await this.sync.sync(pod, this.statuses.getPodStatus(pod.metadata?.uid ?? ''));
    // A pass that acted runs again at once, and that pass reports the effect: its own status (from before acting)
    // is held rather than written, unless the next pass is late.
    if (result.requeueAfterMs === 0 && !result.terminal) this.statuses.holdPodStatus(pod, result.status);
    else await this.statuses.setPodStatus(pod, result.status);
    return result;
  }

  private finalStatus(pod: Pod, observed: ObservedPod): PodStatus {
    return this.sync.status(pod, observed, this.statuses.getPodStatus(pod.metadata?.uid ?? ''));
  }

  async syncTerminatingPod(pod: Pod, gracePeriodSeconds: number): Promise<void> {
    await this.sync.kill(pod, gracePeriodSeconds);
    if (!pod.metadata?.deletionTimestamp) {
      // A Pod that finished on its own keeps its containers' final states.
      await this.statuses.setPodStatus(pod, this.finalStatus(pod, await this.sync.observe(pod, true)));
    }
  }

  async syncTerminatedPod(pod: Pod, removedFromApi: boolean): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    if (removedFromApi) {
      await this.sync.remove(uid);
      this.statuses.forget(uid);
      this.deleted.delete(uid);
      return;
    }
    if (!pod.metadata?.deletionTimestamp || this.deleted.has(uid)) return;
    await this.statuses.setPodStatus(pod, this.finalStatus(pod, await this.sync.observe(pod, true)));
    await this.sync.remove(uid);
    await this.statuses.deletePod(pod);
    this.deleted.add(uid);
  }
}

function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  return read.catch((err: unknown) => {
    if (isNotFound(err)) return undefined;
    throw err;
  });
}

function envSources(o: KubeletOptions): EnvSources {
  return {
    configMap: (ns, name) => (o.configMaps ? orUndefined(o.configMaps.get(ns, name)) : Promise.resolve(undefined)),
    secret: (ns, name) => (o.secrets ? orUndefined(o.secrets.get(ns, name)) : Promise.resolve(undefined)),
  };
}
