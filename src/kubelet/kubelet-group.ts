import { setMaxListeners } from 'node:events';
import type { ConfigMap, Event as CoreEvent, Node, Pod, Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { EventRecorder, InformerFactory, type RestClient, type SharedInformer } from '../client/index.js';
import type { Clock } from '../lib/index.js';
import { Heartbeats } from './heartbeats.js';
import { Kubelet } from './kubelet.js';
import type { NodeConfig } from './node-config.js';
import type { ContainerRuntime } from './runtime/index.js';
import type { ServedPod } from './server/kubelet-server.js';

export interface KubeletGroupOptions {
  /** Watches the Pods and Nodes (and writes, unless `clientFor` is given). */
  readonly client: RestClient;
  /** The client a node writes its Node, Lease, Pod statuses and events with (its own identity). */
  readonly clientFor?: (nodeName: string) => RestClient;
  readonly clock: Clock;
  /** One per node; every node gets its own runtime (and, to materialise volumes, a directory for its Pods). */
  readonly nodes: readonly { config: NodeConfig; runtime: ContainerRuntime; podsDir?: string }[];
  /** hostPath volumes are allowed (--allow-host-path). */
  readonly allowHostPath?: boolean;
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  readonly nodeStatusUpdateFrequencyMs?: number;
  readonly nodeStatusReportFrequencyMs?: number;
  readonly nodeLeaseDurationSeconds?: number;
  readonly log?: (message: string) => void;
}

/**
 * The kubelets of one process: a single node simply watches `spec.nodeName=<node>`; many simulated nodes share one
 * watch on every scheduled Pod and one on Nodes, and each Pod is handed to the kubelet of its node.
 */
export class KubeletGroup {
  readonly kubelets = new Map<string, Kubelet>();
  private readonly informers: InformerFactory;
  private readonly podInformer: SharedInformer<Pod>;
  private readonly nodeInformer: SharedInformer<Node>;
  readonly recorder: EventRecorder;
  /** The nodes' own recorders (with `clientFor`). */
  private readonly recorders: EventRecorder[] = [];

  constructor(private readonly o: KubeletGroupOptions) {
    const { client, clock, log } = o;
    this.informers = new InformerFactory(client, { clock, log });
    const single = o.nodes.length === 1 ? o.nodes[0]!.config.nodeName : undefined;
    const podType = client.kind<Pod>('v1', 'Pod').type;
    const nodeType = client.kind<Node>('v1', 'Node').type;
    this.podInformer = this.informers.informer<Pod>(podType, { fieldSelector: single ? `spec.nodeName=${single}` : 'spec.nodeName!=' });
    this.nodeInformer = this.informers.informer<Node>(nodeType, single ? { fieldSelector: `metadata.name=${single}` } : {});
    const recorderFor = (c: RestClient, host: string | undefined) => {
      const events = c.kind<CoreEvent>('v1', 'Event');
      return new EventRecorder({
        sink: { create: (ns, e) => events.create(ns, e), patch: (ns, name, p) => events.patch(ns, name, 'strategic', p) },
        component: 'kubelet',
        host,
        clock,
        onError: (e) => log?.(`event: ${String(e)}`),
      });
    };
    this.recorder = recorderFor(client, single);
    for (const { config, runtime, podsDir } of o.nodes) {
      const own = o.clientFor?.(config.nodeName);
      const c = own ?? client;
      const recorder = own ? recorderFor(own, config.nodeName) : this.recorder;
      if (own) this.recorders.push(recorder);
      this.kubelets.set(
        config.nodeName,
        new Kubelet({
          config,
          runtime,
          pods: c.kind<Pod>('v1', 'Pod'),
          nodes: c.kind<Node>('v1', 'Node'),
          leases: c.kind<Lease>('coordination.k8s.io/v1', 'Lease'),
          configMaps: c.kind<ConfigMap>('v1', 'ConfigMap'),
          secrets: c.kind<Secret>('v1', 'Secret'),
          serviceAccounts: c.kind<ServiceAccount>('v1', 'ServiceAccount'),
          clock,
          podsDir,
          allowHostPath: o.allowHostPath,
          currentNode: () => this.nodeInformer.store.getByName('', config.nodeName),
          recorder,
          backoffBaseMs: o.backoffBaseMs,
          backoffMaxMs: o.backoffMaxMs,
          nodeStatusUpdateFrequencyMs: o.nodeStatusUpdateFrequencyMs,
          nodeStatusReportFrequencyMs: o.nodeStatusReportFrequencyMs,
          nodeLeaseDurationSeconds: o.nodeLeaseDurationSeconds,
          log,
        }),
      );
    }
    const kubeletOf = (pod: Pod) => this.kubelets.get(pod.spec?.nodeName ?? '');
    this.podInformer.addEventHandler({
      onAdd: (pod) => kubeletOf(pod)?.podAdded(pod),
      onUpdate: (_old, pod) => kubeletOf(pod)?.podUpdated(pod),
      onDelete: (pod) => kubeletOf(pod)?.podDeleted(pod),
    });
  }

  /** A Pod bound to one of this process's nodes, and the runtime of that node (the log server's lookup). */
  findPod(namespace: string, name: string): ServedPod | undefined {
    const pod = this.podInformer.store.getByName(namespace, name);
    const kubelet = pod && this.kubelets.get(pod.spec?.nodeName ?? '');
    return kubelet && { pod, runtime: kubelet.runtime };
  }

  /** Registers every node, then runs them and their Pods until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    // Every node's registration waits on this signal at once.
    setMaxListeners(0, signal);
    this.informers.start(signal);
    void this.removeOrphans(signal);
    // One timer for every node's Lease renewals and status checks.
    const heartbeats = new Heartbeats(this.o.clock, signal);
    const runs = [...this.kubelets.values()].map((k) => k.run(signal, heartbeats));
    await Promise.allSettled(runs);
    await this.informers.stopped();
    this.recorder.shutDown();
    for (const r of this.recorders) r.shutDown();
  }

  /**
   * Once the Pods are listed, stops and removes what the runtimes still run for Pods no longer in the API (deleted
   * while this process was away), as upstream's housekeeping does.
   */
  private async removeOrphans(signal: AbortSignal): Promise<void> {
    await this.podInformer.whenSynced(signal).catch(() => undefined);
    if (signal.aborted) return;
    for (const kubelet of this.kubelets.values()) {
      try {
        const sandboxes = await kubelet.runtime.listPodSandboxes();
        // Read after the sandboxes: a Pod is in the store before its worker makes a sandbox for it.
        const known = new Set(this.podInformer.store.list().map((p) => p.metadata?.uid));
        for (const sandbox of sandboxes) {
          if (known.has(sandbox.metadata.uid)) continue;
          this.o.log?.(`removing the sandbox of pod ${sandbox.metadata.namespace}/${sandbox.metadata.name} (${sandbox.metadata.uid}), no longer in the API`);
          await kubelet.runtime.removePodSandbox(sandbox.id);
        }
      } catch (err) {
        this.o.log?.(`orphan clean-up on ${kubelet.nodeName}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** Resolves once every node is registered (or the signal aborts). */
  async whenRegistered(signal: AbortSignal): Promise<void> {
    for (let i = 0; i < 100_000 && !signal.aborted; i++) {
      if ([...this.kubelets.values()].every((k) => k.agent.registered)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
