import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/index.js';
import { TokenBucket, WorkQueue, type EventRecorder, type ResourceClient, type SharedInformer } from '../../client/index.js';
import { sleep } from '../../lib/index.js';
import { podsOnNode, withPodNodeIndex } from '../runtime/pods-by-node.js';
import { runWorkers } from '../runtime/worker-loop.js';
import { readyCondition, tryUpdateNodeHealth, type NodeHealth } from './node-health.js';
import { computeZoneState, noExecuteTaintKey, noScheduleTaints, withNoExecuteTaint, zoneKey, type ZoneState } from './node-taints.js';
import type { ControllerContext } from '../runtime/controller-context.js';

export interface NodeLifecycleControllerOptions extends ControllerContext {
  /** Events from `node-controller`. */
  readonly recorder?: EventRecorder;
  /** --node-monitor-period (5 s): how often node health is checked. */
  readonly nodeMonitorPeriodMs?: number;
  /** --node-monitor-grace-period (50 s): how long a node may go without a heartbeat before it is Unknown. */
  readonly nodeMonitorGracePeriodMs?: number;
  /** --node-startup-grace-period (60 s): the same for a node that never posted Ready. */
  readonly nodeStartupGracePeriodMs?: number;
  /** --node-eviction-rate (0.1): nodes per second per zone given a NoExecute taint. */
  readonly evictionRate?: number;
  /** --secondary-node-eviction-rate (0.01): the same in a partially disrupted zone of a large cluster. */
  readonly secondaryEvictionRate?: number;
  /** --unhealthy-zone-threshold (0.55). */
  readonly unhealthyZoneThreshold?: number;
  /** --large-cluster-size-threshold (50). */
  readonly largeClusterSizeThreshold?: number;
}

/** How often the NoExecute tainting queues are worked on (upstream's scheduler period, 100 ms). */
const TAINTING_PERIOD_MS = 100;
const STATUS_UPDATE_RETRIES = 5;

/**
 * The node lifecycle controller (upstream's pkg/controller/nodelifecycle): watches node heartbeats (the Ready
 * condition and the Lease in kube-node-lease), sets the conditions of a node that stopped posting to Unknown, keeps
 * the NoSchedule taints that mirror node conditions (taint-nodes-by-condition), and gives not-ready and unreachable
 * nodes the matching NoExecute taint — at most `evictionRate` nodes per second per zone, none in a zone that is fully
 * disrupted — that the taint eviction controller then acts on. A node becoming not ready has its Pods marked not
 * ready.
 */
export class NodeLifecycleController {
  readonly name = 'node-lifecycle';
  private readonly nodeInformer: SharedInformer<Node>;
  private readonly leaseInformer: SharedInformer<Lease>;
  private readonly podInformer: SharedInformer<Pod>;
  private readonly nodes: ResourceClient<Node>;
  private readonly pods: ResourceClient<Pod>;
  private readonly health = new Map<string, NodeHealth>();
  /** Nodes whose taint-nodes-by-condition taints are to be checked. */
  private readonly noScheduleQueue: WorkQueue<string>;
  /** Per zone: the nodes waiting for their NoExecute taint, in order, and the zone's limiter. */
  private readonly zoneTainters = new Map<string, { nodes: string[]; limiter: TokenBucket | undefined; rate: number }>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly period: number;
  private readonly grace: number;
  private readonly startupGrace: number;

  constructor(private readonly opts: NodeLifecycleControllerOptions) {
    this.nodes = opts.client.kind<Node>('v1', 'Node');
    this.pods = opts.client.kind<Pod>('v1', 'Pod');
    this.nodeInformer = opts.informers.informer<Node>(this.nodes.type);
    this.leaseInformer = opts.informers.informer<Lease>(opts.client.kind<Lease>('coordination.k8s.io/v1', 'Lease').type, { namespace: 'kube-node-lease' });
    this.podInformer = withPodNodeIndex(opts.informers.informer<Pod>(this.pods.type));
    this.noScheduleQueue = new WorkQueue<string>({ clock: opts.clock });
    this.period = opts.nodeMonitorPeriodMs ?? 5_000;
    this.grace = opts.nodeMonitorGracePeriodMs ?? 50_000;
    this.startupGrace = opts.nodeStartupGracePeriodMs ?? 60_000;
    this.nodeInformer.addEventHandler({
      onAdd: (n) => this.noScheduleQueue.add(n.metadata?.name ?? ''),
      onUpdate: (_o, n) => this.noScheduleQueue.add(n.metadata?.name ?? ''),
      onDelete: (n) => this.health.delete(n.metadata?.name ?? ''),
    });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    await Promise.all([this.nodeInformer.whenSynced(signal), this.leaseInformer.whenSynced(signal), this.podInformer.whenSynced(signal)]);
    if (signal.aborted) return;
    const loop = async (periodMs: number, pass: () => Promise<void>) => {
      while (!signal.aborted) {
        try {
          await pass();
        } catch (err) {
          this.opts.log?.(`node-lifecycle: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (!(await sleep(this.opts.clock, periodMs, signal))) return;
      }
    };
    await Promise.all([
      runWorkers(this.noScheduleQueue, (name) => this.doNoScheduleTaintingPass(name), workers, signal, this.opts.log),
      loop(this.period, () => this.monitorNodeHealth()),
      loop(TAINTING_PERIOD_MS, () => this.doNoExecuteTaintingPass()),
    ]);
  }

  /** One pass over every node: health, Unknown conditions, NoExecute tainting decisions, zone states. */
  async monitorNodeHealth(): Promise<void> {
    const now = this.opts.clock.now();
    const zones = new Map<string, (string | undefined)[]>();
    for (const listed of this.nodeInformer.store.list()) {
      const name = listed.metadata?.name ?? '';
      let node = listed;
      let outcome = this.healthPass(node, now);
      for (let attempt = 1; outcome.statusUpdate; attempt++) {
        try {
          await this.nodes.updateStatus('', outcome.statusUpdate);
          break;
        } catch (err) {
          if (attempt >= STATUS_UPDATE_RETRIES) {
            this.opts.log?.(`node-lifecycle: updating the status of node ${name}: ${err instanceof Error ? err.message : String(err)}`);
            outcome = { ...outcome, statusUpdate: undefined, currentReady: outcome.observedReady };
            break;
          }
          try {
            node = await this.nodes.get('', name);
          } catch (getErr) {
            if (getErr instanceof ApiError && getErr.code === 404) break;
          }
          outcome = this.healthPass(node, now);
        }
      }
      const zone = zoneKey(node);
      zones.set(zone, [...(zones.get(zone) ?? []), outcome.currentReady?.status]);
      if (!outcome.currentReady) continue;
      await this.processTaintBaseEviction(node, outcome.observedReady.status);
      if (outcome.currentReady.status !== 'True' && outcome.observedReady.status === 'True') {
        this.opts.recorder?.event({ apiVersion: 'v1', kind: 'Node', metadata: { name, uid: name } }, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
        await this.markPodsNotReady(name);
      }
    }
    for (const name of this.health.keys()) if (!this.nodeInformer.store.getByName('', name)) this.health.delete(name);
    this.handleDisruption(zones);
  }

  private healthPass(node: Node, now: number) {
    const name = node.metadata?.name ?? '';
    const lease = this.leaseInformer.store.getByName('kube-node-lease', name);
    const outcome = tryUpdateNodeHealth(node, this.health.get(name), lease, now, { gracePeriodMs: this.grace, startupGracePeriodMs: this.startupGrace });
    this.health.set(name, outcome.health);
    return outcome;
  }

  /** processTaintBaseEviction: a not-ready or unreachable node waits in its zone's queue for the NoExecute taint; a Ready one loses it. */
  private async processTaintBaseEviction(node: Node, observedReady: string): Promise<void> {
    const name = node.metadata?.name ?? '';
    const key = noExecuteTaintKey(observedReady);
    const tainter = this.tainter(zoneKey(node));
    if (key === undefined) {
      tainter.nodes = tainter.nodes.filter((n) => n !== name);
      await this.patchTaints(name, (n) => withNoExecuteTaint(n, undefined, ''));
      return;
    }
    const other = (node.spec?.taints ?? []).some((t) => t.effect === 'NoExecute' && (t.key === 'node.kubernetes.io/not-ready' || t.key === 'node.kubernetes.io/unreachable') && t.key !== key);
    // A node already tainted with the other NoExecute taint has it swapped at once.
    if (other) await this.patchTaints(name, (n) => withNoExecuteTaint(n, key, this.nowString()));
    else if (!(node.spec?.taints ?? []).some((t) => t.key === key && t.effect === 'NoExecute') && !tainter.nodes.includes(name)) tainter.nodes.push(name);
  }

  /** doNoExecuteTaintingPass: taints the nodes at the head of each zone's queue as far as the zone's rate allows. */
  async doNoExecuteTaintingPass(): Promise<void> {
    for (const tainter of this.zoneTainters.values()) {
      while (tainter.nodes.length > 0) {
        if (tainter.rate <= 0 || (tainter.limiter && !tainter.limiter.tryTake())) break;
        const name = tainter.nodes.shift()!;
        const node = this.nodeInformer.store.getByName('', name);
        if (!node) continue;
        const key = noExecuteTaintKey(readyCondition(node)?.status);
        if (key === undefined) continue;
        try {
          await this.patchTaints(name, (n) => withNoExecuteTaint(n, key, this.nowString()));
        } catch (err) {
          this.opts.log?.(`node-lifecycle: tainting node ${name}: ${err instanceof Error ? err.message : String(err)}`);
          tainter.nodes.push(name);
        }
      }
    }
  }

  /** doNoScheduleTaintingPass for one node (taint-nodes-by-condition). */
  async doNoScheduleTaintingPass(name: string): Promise<void> {
    const node = this.nodeInformer.store.getByName('', name);
    if (!node || noScheduleTaints(node) === undefined) return;
    await this.patchTaints(name, noScheduleTaints);
  }

  /** Zone states and their tainting rates (handleDisruption); every zone fully disrupted stops all tainting and removes it. */
  private handleDisruption(zones: Map<string, (string | undefined)[]>): void {
    const threshold = this.opts.unhealthyZoneThreshold ?? 0.55;
    const states = new Map<string, ZoneState>();
    for (const [zone, statuses] of zones) states.set(zone, computeZoneState(statuses, threshold).state);
    const allDisrupted = states.size > 0 && [...states.values()].every((s) => s === 'FullDisruption');
    const wasAllDisrupted = this.zoneStates.size > 0 && [...this.zoneStates.values()].every((s) => s === 'FullDisruption');
    if (allDisrupted && !wasAllDisrupted) this.opts.log?.('node-lifecycle: every node is not ready; entering disruption mode (no evictions)');
    for (const [zone, state] of states) {
      const size = zones.get(zone)?.length ?? 0;
      const tainter = this.tainter(zone);
      let rate = this.opts.evictionRate ?? 0.1;
      if (allDisrupted || state === 'FullDisruption') rate = 0;
      else if (state === 'PartialDisruption') rate = size > (this.opts.largeClusterSizeThreshold ?? 50) ? (this.opts.secondaryEvictionRate ?? 0.01) : 0;
      if (rate !== tainter.rate) {
        tainter.rate = rate;
        tainter.limiter = rate > 0 ? new TokenBucket({ qps: rate, burst: 1, clock: this.opts.clock }) : undefined;
      }
      if (allDisrupted) tainter.nodes = [];
    }
    if (allDisrupted) {
      for (const node of this.nodeInformer.store.list()) void this.patchTaints(node.metadata?.name ?? '', (n) => withNoExecuteTaint(n, undefined, '')).catch(() => {});
    }
    this.zoneStates.clear();
    for (const [z, s] of states) this.zoneStates.set(z, s);
  }

  private tainter(zone: string) {
    let t = this.zoneTainters.get(zone);
    if (!t) {
      const rate = this.opts.evictionRate ?? 0.1;
      t = { nodes: [], rate, limiter: rate > 0 ? new TokenBucket({ qps: rate, burst: 1, clock: this.opts.clock }) : undefined };
      this.zoneTainters.set(zone, t);
    }
    return t;
  }

  /** MarkPodsNotReady: the Ready condition of every Pod on the node becomes False (pods/status), with a NodeNotReady event. */
  private async markPodsNotReady(nodeName: string): Promise<void> {
    for (const pod of podsOnNode(this.podInformer, nodeName)) {
      const conditions = pod.status?.conditions ?? [];
      const ready = conditions.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const updated: Pod = { ...pod, status: { ...pod.status, conditions: conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: this.nowString() } : c)) } };
      try {
        await this.pods.updateStatus(pod.metadata?.namespace ?? '', updated);
        this.opts.recorder?.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (err) {
        if (!(err instanceof ApiError && (err.code === 404 || err.code === 409))) throw err;
      }
    }
  }

  /** Writes the taints `change` computes from the node (re-read on a conflict); nothing when it returns undefined. */
  private async patchTaints(name: string, change: (node: Node) => Taint[] | undefined): Promise<void> {
    let node = this.nodeInformer.store.getByName('', name);
    for (let attempt = 1; node; attempt++) {
      const taints = change(node);
      if (taints === undefined) return;
      try {
        await this.nodes.patch('', name, 'merge', { metadata: { resourceVersion: node.metadata?.resourceVersion }, spec: { taints: taints.length > 0 ? taints : null } });
        return;
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) return;
        if (!(err instanceof ApiError && err.code === 409) || attempt >= STATUS_UPDATE_RETRIES) throw err;
        node = await this.nodes.get('', name);
      }
    }
  }

  private nowString(): string {
    return new Date(Math.floor(this.opts.clock.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }
}
