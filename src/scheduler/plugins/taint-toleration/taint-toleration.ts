import type { Toleration } from 'kubernetes-types/core/v1.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { FilterPlugin, NodeScore, PreScorePlugin, ScorePlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { defaultNormalizeScore } from '../../framework/normalize.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import { findUntoleratedTaint, tolerated } from './tolerations.js';

const STATE_KEY = 'PreScoreTaintToleration';

class PreferNoScheduleTolerations implements StateData {
  constructor(readonly tolerations: readonly Toleration[]) {}
  clone(): StateData {
    return this;
  }
}

/**
 * Filter: a node with a NoSchedule or NoExecute taint the Pod does not tolerate is rejected (unresolvable).
 * Score: fewer untolerated PreferNoSchedule taints is better (normalised in reverse).
 */
export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin {
  static readonly pluginName = 'TaintToleration';
  readonly name = TaintToleration.pluginName;

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Result {
    const taints = node.taints;
    if (taints.length === 0) return undefined;
    const taint = findUntoleratedTaint(taints, pod.pod.spec?.tolerations, ['NoSchedule', 'NoExecute']);
    if (!taint) return undefined;
    return Status.unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
  }

  preScore(state: CycleState, pod: PodInfo): Result {
    const tolerations = (pod.pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    state.write(STATE_KEY, new PreferNoScheduleTolerations(tolerations));
    return undefined;
  }

  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    const tolerations = state.read<PreferNoScheduleTolerations>(STATE_KEY)?.tolerations ?? [];
    let n = 0;
    for (const taint of node.taints) if (taint.effect === 'PreferNoSchedule' && !tolerated(tolerations, taint)) n++;
    return n;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: NodeScore[]): void {
    defaultNormalizeScore(scores, true);
  }
}
