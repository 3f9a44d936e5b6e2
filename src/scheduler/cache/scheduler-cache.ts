import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { NodeInfo } from '../framework/node-info.js';
import { PodInfo, podKey } from '../framework/pod-info.js';

interface PodState {
  info: PodInfo;
  nodeName: string;
  /** Chosen by us, not yet seen bound by the informer. */
  assumed: boolean;
  bindingFinished: boolean;
}

/**
 * What the scheduler believes is on each node: the Nodes and the Pods bound to them as the informers report, plus the
 * assumed Pods, which count on their node from the moment a cycle chooses it until the informer shows the binding
 * (`addPod` confirms them), or until `forgetPod` when the binding failed. Pods on nodes not (yet) known are kept and
 * count once the node appears. Not thread-safe; JavaScript's single thread makes each scheduling cycle see it unchanged.
 */
export class SchedulerCache {
  private readonly infos = new Map<string, NodeInfo>();
  private readonly realNodes = new Set<string>();
  private readonly pods = new Map<string, PodState>();
  private list: NodeInfo[] | undefined;
  private withAffinity: NodeInfo[] | undefined;
  private withRequiredAntiAffinity: NodeInfo[] | undefined;

  /** Nodes in a stable order (the order they were added), without nodes only Pods mention. */
  nodeInfos(): readonly NodeInfo[] {
    this.list ??= [...this.infos.values()].filter((n) => this.realNodes.has(n.name));
    return this.list;
  }

  /** The nodes with Pods with pod (anti-)affinity terms, kept until such a Pod or a node comes or goes. */
  nodeInfosWithPodsWithAffinity(): readonly NodeInfo[] {
    this.withAffinity ??= this.nodeInfos().filter((n) => n.podsWithAffinity.size > 0);
    return this.withAffinity;
  }

  nodeInfosWithPodsWithRequiredAntiAffinity(): readonly NodeInfo[] {
    this.withRequiredAntiAffinity ??= this.nodeInfos().filter((n) => n.podsWithRequiredAntiAffinity.size > 0);
    return this.withRequiredAntiAffinity;
  }

  nodeInfo(name: string): NodeInfo | undefined {
    return this.realNodes.has(name) ? this.infos.get(name) : undefined;
  }

  get nodeCount(): number {
    return this.realNodes.size;
  }

  addNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const info = this.infos.get(name);
    if (info) info.setNode(node);
    else this.infos.set(name, new NodeInfo(node));
    if (!this.realNodes.has(name)) {
      this.realNodes.add(name);
      this.invalidateLists();
    }
  }

  updateNode(node: Node): void {
    this.addNode(node);
  }

  removeNode(name: string): void {
    if (!this.realNodes.delete(name)) return;
    this.invalidateLists();
    const info = this.infos.get(name);
    if (info && info.pods.size === 0) this.infos.delete(name);
  }

  isAssumed(key: string): boolean {
    return this.pods.get(key)?.assumed ?? false;
  }

  /** The Pod counts on `nodeName` from now on. `info` must be the Pod with spec.nodeName set to it. */
  assumePod(info: PodInfo, nodeName: string): void {
    if (this.pods.has(info.key)) throw new Error(`pod ${info.key} is in the cache, so can't be assumed`);
    this.addToNode(info, nodeName);
    this.pods.set(info.key, { info, nodeName, assumed: true, bindingFinished: false });
  }

  finishBinding(key: string): void {
    const s = this.pods.get(key);
    if (s?.assumed) s.bindingFinished = true;
  }

  /** The binding of an assumed Pod failed: it no longer counts anywhere. */
  forgetPod(key: string): void {
    const s = this.pods.get(key);
    if (!s?.assumed) return;
    this.removeFromNode(key, s.nodeName);
    this.pods.delete(key);
  }

  /** A bound Pod the informer reports (confirming an assumed one, possibly on another node). */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = pod.spec?.nodeName ?? '';
    const s = this.pods.get(key);
    if (s) this.removeFromNode(key, s.nodeName);
    const info = new PodInfo(pod);
    this.addToNode(info, nodeName);
    this.pods.set(key, { info, nodeName, assumed: false, bindingFinished: true });
  }

  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  removePod(pod: Pod): void {
    const key = podKey(pod);
    const s = this.pods.get(key);
    if (!s) return;
    this.removeFromNode(key, s.nodeName);
    this.pods.delete(key);
  }

  podCount(): number {
    return this.pods.size;
  }

  private addToNode(info: PodInfo, nodeName: string): void {
    let n = this.infos.get(nodeName);
    if (!n) {
      n = new NodeInfo({ metadata: { name: nodeName } });
      this.infos.set(nodeName, n);
    }
    n.addPod(info);
    if (info.hasAffinity) this.invalidateAffinityLists();
  }

  private invalidateAffinityLists(): void {
    this.withAffinity = undefined;
    this.withRequiredAntiAffinity = undefined;
  }

  private invalidateLists(): void {
    this.list = undefined;
    this.invalidateAffinityLists();
  }

  private removeFromNode(key: string, nodeName: string): void {
    const n = this.infos.get(nodeName);
    if (!n) return;
    if (n.pods.get(key)?.hasAffinity) this.invalidateAffinityLists();
    n.removePod(key);
    if (n.pods.size === 0 && !this.realNodes.has(nodeName)) this.infos.delete(nodeName);
  }
}
