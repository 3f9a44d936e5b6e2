import type { CycleState } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, type ScorePlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';

/**
 * Favours nodes whose cpu and memory would be used in equal shares after placing the Pod: (1 − std of the two
 * fractions) × 100, each fraction requested/allocatable capped at 1, with the Pods' actual requests.
 */
export class NodeResourcesBalancedAllocation implements ScorePlugin {
  static readonly pluginName = 'NodeResourcesBalancedAllocation';
  readonly name = NodeResourcesBalancedAllocation.pluginName;

  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const alloc = node.allocatable;
    const cpu = alloc.milliCPU !== 0 ? Math.min(1, (node.requested.milliCPU + pod.requests.milliCPU) / alloc.milliCPU) : undefined;
    const memory = alloc.memory !== 0 ? Math.min(1, (node.requested.memory + pod.requests.memory) / alloc.memory) : undefined;
    // The usual case (both resources) without building a list for every node of every cycle.
    if (cpu !== undefined && memory !== undefined) return Math.trunc((1 - Math.abs((cpu - memory) / 2)) * MAX_NODE_SCORE);
    return balancedScore(cpu !== undefined ? [cpu] : memory !== undefined ? [memory] : []);
  }
}

export function balancedScore(fractions: readonly number[]): number {
  let std = 0;
  if (fractions.length === 2) std = Math.abs(((fractions[0] ?? 0) - (fractions[1] ?? 0)) / 2);
  else if (fractions.length > 2) {
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) * (f - mean), 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}
