import type { CycleState } from '../../framework/cycle-state.js';
import type { FilterPlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import { tolerated } from '../taint-toleration/tolerations.js';

const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** A cordoned node (spec.unschedulable) takes only Pods that tolerate node.kubernetes.io/unschedulable:NoSchedule. */
export class NodeUnschedulable implements FilterPlugin {
  static readonly pluginName = 'NodeUnschedulable';
  readonly name = NodeUnschedulable.pluginName;

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Result {
    if (!node.node.spec?.unschedulable) return undefined;
    if (tolerated(pod.pod.spec?.tolerations, UNSCHEDULABLE_TAINT)) return undefined;
    return Status.unresolvable('node(s) were unschedulable');
  }
}
