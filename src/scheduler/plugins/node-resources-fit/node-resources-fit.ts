import type { CycleState } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, type FilterPlugin, type ScorePlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Code, Status, type Result } from '../../framework/status.js';

/** Why the Pod does not fit the node's allocatable resources, in upstream's words ("Too many pods", "Insufficient cpu"). */
export function insufficientResources(pod: PodInfo, node: NodeInfo): string[] {
  const reasons: string[] = [];
  const alloc = node.allocatable;
  const used = node.requested;
  if (node.pods.size + 1 > alloc.pods) reasons.push('Too many pods');
  const r = pod.requests;
  if (r.milliCPU > 0 && r.milliCPU > alloc.milliCPU - used.milliCPU) reasons.push('Insufficient cpu');
  if (r.memory > 0 && r.memory > alloc.memory - used.memory) reasons.push('Insufficient memory');
  if (r.ephemeralStorage > 0 && r.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) reasons.push('Insufficient ephemeral-storage');
  for (const [name, v] of r.scalar) {
    if (v > 0 && v > (alloc.scalar.get(name) ?? 0) - (used.scalar.get(name) ?? 0)) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
}

/** The allocation-free check of insufficientResources. */
function fits(pod: PodInfo, node: NodeInfo): boolean {
  const alloc = node.allocatable;
  const used = node.requested;
  const r = pod.requests;
  if (node.pods.size + 1 > alloc.pods) return false;
  if (r.milliCPU > 0 && r.milliCPU > alloc.milliCPU - used.milliCPU) return false;
  if (r.memory > 0 && r.memory > alloc.memory - used.memory) return false;
  if (r.ephemeralStorage > 0 && r.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) return false;
  return r.scalar.size === 0 || insufficientResources(pod, node).length === 0;
}

/** upstream's leastRequestedScore: the share of the resource left free after placing the Pod, 0…100. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/**
 * Filter: the Pod's requests (and one more Pod) must fit in what the node's allocatable leaves after the Pods counted on
 * it. Score (LeastAllocated, cpu and memory weighted 1 each): nodes with more left free score higher; containers
 * without requests count as 100m / 200Mi here.
 */
export class NodeResourcesFit implements FilterPlugin, ScorePlugin {
  static readonly pluginName = 'NodeResourcesFit';
  readonly name = NodeResourcesFit.pluginName;

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Result {
    if (fits(pod, node)) return undefined;
    const reasons = insufficientResources(pod, node);
    return reasons.length === 0 ? undefined : new Status(Code.Unschedulable, reasons);
  }

  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    let total = 0;
    let weights = 0;
    const alloc = node.allocatable;
    if (alloc.milliCPU !== 0) {
      total += leastRequestedScore(node.nonZeroRequested.milliCPU + pod.nonZeroRequests.milliCPU, alloc.milliCPU);
      weights++;
    }
    if (alloc.memory !== 0) {
      total += leastRequestedScore(node.nonZeroRequested.memory + pod.nonZeroRequests.memory, alloc.memory);
      weights++;
    }
    return weights === 0 ? 0 : Math.trunc(total / weights);
  }
}
