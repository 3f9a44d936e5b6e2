import type { CycleState } from '../../framework/cycle-state.js';
import type { FilterPlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';

/** A Pod that names a node in spec.nodeName fits only that node. */
export class NodeName implements FilterPlugin {
  static readonly pluginName = 'NodeName';
  readonly name = NodeName.pluginName;

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Result {
    const wanted = pod.pod.spec?.nodeName;
    if (!wanted || wanted === node.name) return undefined;
    return Status.unresolvable("node(s) didn't match the requested node name");
  }
}
