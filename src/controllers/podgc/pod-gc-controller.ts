import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/index.js';
import type { ResourceClient, SharedInformer } from '../../client/index.js';
import { sleep } from '../../lib/index.js';
import { terminatedPodsToDelete, terminatingOutOfServicePods, unscheduledTerminatingPods } from './pod-gc-decisions.js';
import type { ControllerContext } from '../runtime/controller-context.js';

export interface PodGCControllerOptions extends ControllerContext {
  /** --terminated-pod-gc-threshold (12,500; ≤ 0 keeps every finished Pod). */
  readonly terminatedPodThreshold?: number;
  /** How often a pass runs (upstream's gcCheckPeriod, 20 s). */
  readonly gcCheckPeriodMs?: number;
  /** How long a node must stay missing before its Pods are deleted (upstream's quarantineTime, 40 s). */
  readonly quarantineMs?: number;
}

/**
 * The Pod garbage collector (upstream's pkg/controller/podgc, `pod-garbage-collector`). Every pass: finished Pods
 * beyond the threshold, terminating Pods on out-of-service nodes, Pods bound to a node that has been missing for
 * the quarantine (confirmed by a GET; their DisruptionTarget condition says DeletionByPodGC "PodGC: node no longer
 * exists"), and terminating Pods never bound to a node are deleted at once (grace 0), after a Pod not yet finished has
 * been marked Failed.
 */
export class PodGCController {
  readonly name = 'pod-garbage-collector';
  private readonly podInformer: SharedInformer<Pod>;
  private readonly nodeInformer: SharedInformer<Node>;
  private readonly pods: ResourceClient<Pod>;
  private readonly nodes: ResourceClient<Node>;
  /** Missing node names and when their quarantine ends (upstream's delaying nodeQueue). */
  private readonly quarantine = new Map<string, number>();

  constructor(private readonly opts: PodGCControllerOptions) {
    this.pods = opts.client.kind<Pod>('v1', 'Pod');
    this.nodes = opts.client.kind<Node>('v1', 'Node');
    this.podInformer = opts.informers.informer<Pod>(this.pods.type);
    this.nodeInformer = opts.informers.informer<Node>(this.nodes.type);
  }

  async run(_workers: number, signal: AbortSignal): Promise<void> {
    await Promise.all([this.podInformer.whenSynced(signal), this.nodeInformer.whenSynced(signal)]);
    while (!signal.aborted) {
      try {
        await this.gc();
      } catch (err) {
        this.opts.log?.(`pod-garbage-collector: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (!(await sleep(this.opts.clock, this.opts.gcCheckPeriodMs ?? 20_000, signal))) return;
    }
  }

  /** One pass. */
  async gc(): Promise<void> {
    const pods = this.podInformer.store.list();
    const nodeByName = (name: string) => this.nodeInformer.store.getByName('', name);
    const jobs: Promise<void>[] = [];
    for (const pod of terminatedPodsToDelete(pods, this.opts.terminatedPodThreshold ?? 12_500)) jobs.push(this.markFailedAndDelete(pod));
    for (const pod of terminatingOutOfServicePods(pods, nodeByName)) jobs.push(this.markFailedAndDelete(pod));
    await Promise.all(jobs);
    await this.gcOrphaned(pods, nodeByName);
    for (const pod of unscheduledTerminatingPods(pods)) await this.markFailedAndDelete(pod);
  }

  private async gcOrphaned(pods: readonly Pod[], nodeByName: (name: string) => Node | undefined): Promise<void> {
    const now = this.opts.clock.now();
    for (const pod of pods) {
      const node = pod.spec?.nodeName;
      if (node && !nodeByName(node) && !this.quarantine.has(node)) this.quarantine.set(node, now + (this.opts.quarantineMs ?? 40_000));
    }
    const deleted = new Set<string>();
    for (const [node, until] of this.quarantine) {
      if (until > now) continue;
      this.quarantine.delete(node);
      if (nodeByName(node)) continue;
      try {
        await this.nodes.get('', node);
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) deleted.add(node);
        else this.opts.log?.(`pod-garbage-collector: getting node ${node}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    for (const pod of pods) {
      if (!deleted.has(pod.spec?.nodeName ?? '')) continue;
      this.opts.log?.(`pod-garbage-collector: deleting pod ${pod.metadata?.namespace}/${pod.metadata?.name} bound to the missing node ${pod.spec?.nodeName}`);
      await this.markFailedAndDelete(pod, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' });
    }
  }

  /** markFailedAndDeletePodWithCondition: phase Failed (and the condition) through pods/status, then DELETE with grace 0. */
  private async markFailedAndDelete(pod: Pod, condition?: PodCondition): Promise<void> {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    try {
      const phase = pod.status?.phase;
      if (phase !== 'Succeeded' && phase !== 'Failed') {
        const now = new Date(Math.floor(this.opts.clock.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
        const status: Record<string, unknown> = { phase: 'Failed' };
        if (condition) status.conditions = [{ ...condition, lastTransitionTime: now }];
        await this.pods.patch(namespace, name, 'strategic', { metadata: { uid: pod.metadata?.uid }, status }, { subresource: 'status' });
      }
      await this.pods.delete(namespace, name, { gracePeriodSeconds: 0 });
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      this.opts.log?.(`pod-garbage-collector: deleting pod ${namespace}/${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
