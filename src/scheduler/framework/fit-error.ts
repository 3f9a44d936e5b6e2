import type { Status } from './status.js';

/**
 * Why no node fits, in upstream's FitError wording: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) were
 * unschedulable." followed by what PostFilter (preemption) said, each part ending in a period. When a PreFilter plugin
 * rejected the Pod (every node then has its status), its message replaces the histogram.
 */
export function fitErrorMessage(numAllNodes: number, nodeStatuses: ReadonlyMap<string, Status>, preFilterMsg = '', postFilterMsg = ''): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (preFilterMsg) msg += ` ${preFilterMsg}.`;
  else msg += ` ${reasonHistogram(nodeStatuses).join(', ')}.`;
  if (postFilterMsg) msg += ` ${postFilterMsg}.`;
  return msg;
}

/** "N reason" for every reason any node gave, sorted as strings. */
export function reasonHistogram(nodeStatuses: ReadonlyMap<string, Status>): string[] {
  const counts = new Map<string, number>();
  for (const status of nodeStatuses.values()) for (const r of status.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
}
