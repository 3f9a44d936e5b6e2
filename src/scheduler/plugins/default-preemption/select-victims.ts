import type { CycleState } from '../../framework/cycle-state.js';
import type { Handle } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status } from '../../framework/status.js';

export const NO_VICTIMS = 'No preemption victims found for incoming pod';

/** upstream's MoreImportantPod: higher priority, then the one that started earlier. */
export function moreImportant(a: PodInfo, b: PodInfo): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return startTime(a) < startTime(b);
}

export function startTime(p: PodInfo): number {
  const t = p.pod.status?.startTime ?? p.pod.metadata?.creationTimestamp;
  return t ? Date.parse(t) : Number.MAX_SAFE_INTEGER;
}

/**
 * The fewest Pods of lower priority to remove from (a clone of) the node for the preemptor to pass the filters, as
 * upstream's SelectVictimsOnNode: remove every lower-priority Pod, check the preemptor fits, then add them back most
 * important first, keeping back each one without which it would no longer fit. `state` and `node` are copies.
 */
export function selectVictimsOnNode(handle: Handle, state: CycleState, pod: PodInfo, node: NodeInfo): { victims?: PodInfo[]; status?: Status } {
  const lower = [...node.pods.values()].filter((p) => p.priority < pod.priority);
  if (lower.length === 0) return { status: Status.unresolvable(NO_VICTIMS) };
  for (const p of lower) {
    node.removePod(p.key);
    handle.runPreFilterExtensionRemovePod(state, pod, p, node);
  }
  const status = handle.runFilterPlugins(state, pod, node);
  if (status) return { status };
  lower.sort((a, b) => (moreImportant(a, b) ? -1 : moreImportant(b, a) ? 1 : 0));
  const victims: PodInfo[] = [];
  for (const p of lower) {
    node.addPod(p);
    handle.runPreFilterExtensionAddPod(state, pod, p, node);
    if (handle.runFilterPlugins(state, pod, node)) {
      node.removePod(p.key);
      handle.runPreFilterExtensionRemovePod(state, pod, p, node);
      victims.push(p);
    }
  }
  if (victims.length === 0) return { status: Status.error(`expected at least one victim pod on node ${node.name}`) };
  return { victims };
}

export interface Candidate {
  readonly node: string;
  /** Most important first. */
  readonly victims: readonly PodInfo[];
}

/**
 * upstream's pickOneNodeForPreemption without PodDisruptionBudgets: the lowest highest-priority victim, then the lowest
 * sum of priorities, then the fewest victims, then the latest start among the highest-priority victims, then the first.
 */
export function pickCandidate(candidates: readonly Candidate[]): Candidate | undefined {
  let best = [...candidates];
  const narrow = (score: (c: Candidate) => number) => {
    if (best.length <= 1) return;
    const min = Math.min(...best.map(score));
    best = best.filter((c) => score(c) === min);
  };
  narrow((c) => c.victims[0]?.priority ?? 0);
  narrow((c) => c.victims.reduce((s, v) => s + v.priority + 2 ** 31, 0));
  narrow((c) => c.victims.length);
  narrow((c) => {
    const top = c.victims[0]?.priority ?? 0;
    return -Math.min(...c.victims.filter((v) => v.priority === top).map(startTime));
  });
  return best[0];
}
