import type { Node, NodeSelector, Pod, PreferredSchedulingTerm } from 'kubernetes-types/core/v1.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { FilterPlugin, NodeScore, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { defaultNormalizeScore } from '../../framework/normalize.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import { matchesNodeSelector, matchesTerm } from './node-selector.js';

const PRE_FILTER_KEY = 'PreFilterNodeAffinity';
const PRE_SCORE_KEY = 'PreScoreNodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

class Required implements StateData {
  constructor(
    readonly nodeSelector: Readonly<Record<string, string>> | undefined,
    readonly affinity: NodeSelector | undefined,
  ) {}
  clone(): StateData {
    return this;
  }
}

class Preferred implements StateData {
  constructor(readonly terms: readonly PreferredSchedulingTerm[]) {}
  clone(): StateData {
    return this;
  }
}

export function requiredMatches(req: Required, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  if (req.nodeSelector) for (const [k, v] of Object.entries(req.nodeSelector)) if (labels[k] !== v) return false;
  return !req.affinity || matchesNodeSelector(req.affinity, node);
}

/**
 * Filter: spec.nodeSelector and requiredDuringSchedulingIgnoredDuringExecution must both match the node (unresolvable
 * otherwise). Score: the sum of the weights of the preferred terms the node matches, normalised so the best node has 100.
 */
export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  static readonly pluginName = 'NodeAffinity';
  readonly name = NodeAffinity.pluginName;

  preFilter(state: CycleState, pod: PodInfo): { status?: Status } {
    const spec = pod.pod.spec;
    const nodeSelector = spec?.nodeSelector && Object.keys(spec.nodeSelector).length > 0 ? spec.nodeSelector : undefined;
    const affinity = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!nodeSelector && !affinity) return { status: Status.skip() };
    state.write(PRE_FILTER_KEY, new Required(nodeSelector, affinity));
    return {};
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): Result {
    const req = state.read<Required>(PRE_FILTER_KEY);
    if (!req || requiredMatches(req, node.node)) return undefined;
    return Status.unresolvable(ERR_REASON_POD);
  }

  preScore(state: CycleState, pod: PodInfo): Result {
    const terms = (pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).filter((t) => t.weight !== 0);
    if (terms.length === 0) return Status.skip();
    state.write(PRE_SCORE_KEY, new Preferred(terms));
    return undefined;
  }

  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    const pref = state.read<Preferred>(PRE_SCORE_KEY);
    let total = 0;
    for (const t of pref?.terms ?? []) if (matchesTerm(t.preference, node.node)) total += t.weight;
    return total;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: NodeScore[]): void {
    defaultNormalizeScore(scores, false);
  }
}

/** Whether a node passes the Pod's nodeSelector and required node affinity (upstream's GetRequiredNodeAffinity(pod).Match). */
export function requiredNodeAffinity(pod: Pod): (node: Node) => boolean {
  const spec = pod.spec;
  const nodeSelector = spec?.nodeSelector && Object.keys(spec.nodeSelector).length > 0 ? spec.nodeSelector : undefined;
  const affinity = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!nodeSelector && !affinity) return () => true;
  const req = new Required(nodeSelector, affinity);
  return (node) => requiredMatches(req, node);
}
