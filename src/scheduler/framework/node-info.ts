import type { Node, Taint } from 'kubernetes-types/core/v1.js';
import type { HostPort, PodInfo } from './pod-info.js';
import { emptyResources, nodeAllocatable, type Resources } from './resources.js';

/**
 * A node and the Pods the scheduler counts on it (bound, and assumed: chosen but not yet seen bound), with their sums
 * kept up to date as Pods are added and removed. Plugins read it; only the cache (and preemption, on a clone) writes it.
 */
export class NodeInfo {
  node: Node;
  allocatable: Resources;
  readonly requested: Resources = emptyResources();
  /** Requests with containers that ask for nothing counted as 100m / 200Mi (for scoring). */
  readonly nonZeroRequested = { milliCPU: 0, memory: 0 };
  readonly pods = new Map<string, PodInfo>();
  /** `ip/protocol/port` of every host port in use. */
  readonly usedPorts = new Map<string, number>();
  /** Pods with pod affinity or anti-affinity terms, and those with required anti-affinity terms. */
  readonly podsWithAffinity = new Map<string, PodInfo>();
  readonly podsWithRequiredAntiAffinity = new Map<string, PodInfo>();
  /** Bumped on every change, so clones and callers can tell. */
  generation = 0;
  /** Counts over the Pods, by key, valid while `generation` is what it was when they were counted. */
  private readonly counts = new Map<string, { generation: number; value: number }>();

  constructor(node: Node) {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
  }

  get name(): string {
    return this.node.metadata?.name ?? '';
  }

  get taints(): readonly Taint[] {
    return this.node.spec?.taints ?? [];
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
    this.generation++;
  }

  addPod(info: PodInfo): void {
    if (this.pods.has(info.key)) this.removePod(info.key);
    this.pods.set(info.key, info);
    this.apply(info, 1);
  }

  removePod(key: string): boolean {
    const info = this.pods.get(key);
    if (!info) return false;
    this.pods.delete(key);
    this.apply(info, -1);
    return true;
  }

  /** Whether the host port is taken (0.0.0.0 on either side conflicts with every address). */
  portInUse(p: HostPort): boolean {
    if (this.usedPorts.size === 0) return false;
    if (this.usedPorts.has(`${p.ip}/${p.protocol}/${p.port}`) || this.usedPorts.has(`0.0.0.0/${p.protocol}/${p.port}`)) return true;
    if (p.ip !== '0.0.0.0') return false;
    const suffix = `/${p.protocol}/${p.port}`;
    for (const k of this.usedPorts.keys()) if (k.endsWith(suffix)) return true;
    return false;
  }

  /**
   * A count over the node's Pods (a plugin's Pods-matching-a-selector) kept for each key while the generation stays:
   * scoring every node for every Pod then costs a lookup per node instead of a pass over all of its Pods.
   */
  countedPods(key: string): number | undefined {
    const hit = this.counts.get(key);
    return hit !== undefined && hit.generation === this.generation ? hit.value : undefined;
  }

  /** Keeps a count computed at the current generation (see countedPods). */
  rememberCount(key: string, value: number): void {
    // Keys are selectors of the Pods being scheduled; forget them all now and then rather than keep every one.
    const kept = this.counts.get(key);
    if (kept !== undefined) {
      kept.generation = this.generation;
      kept.value = value;
      return;
    }
    if (this.counts.size >= 64) this.counts.clear();
    this.counts.set(key, { generation: this.generation, value });
  }

  clone(): NodeInfo {
    const c = new NodeInfo(this.node);
    for (const info of this.pods.values()) c.addPod(info);
    c.generation = this.generation;
    return c;
  }

  private apply(info: PodInfo, sign: 1 | -1): void {
    const r = info.requests;
    this.requested.milliCPU += sign * r.milliCPU;
    this.requested.memory += sign * r.memory;
    this.requested.ephemeralStorage += sign * r.ephemeralStorage;
    this.requested.pods += sign;
    for (const [k, v] of r.scalar) this.requested.scalar.set(k, (this.requested.scalar.get(k) ?? 0) + sign * v);
    this.nonZeroRequested.milliCPU += sign * info.nonZeroRequests.milliCPU;
    this.nonZeroRequested.memory += sign * info.nonZeroRequests.memory;
    for (const p of info.hostPorts) {
      const k = `${p.ip}/${p.protocol}/${p.port}`;
      const n = (this.usedPorts.get(k) ?? 0) + sign;
      if (n > 0) this.usedPorts.set(k, n);
      else this.usedPorts.delete(k);
    }
    if (info.hasAffinity) {
      if (sign > 0) this.podsWithAffinity.set(info.key, info);
      else this.podsWithAffinity.delete(info.key);
    }
    if (info.hasRequiredAntiAffinity) {
      if (sign > 0) this.podsWithRequiredAntiAffinity.set(info.key, info);
      else this.podsWithRequiredAntiAffinity.delete(info.key);
    }
    this.generation++;
  }
}
