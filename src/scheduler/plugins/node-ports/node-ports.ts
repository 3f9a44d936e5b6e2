import type { CycleState } from '../../framework/cycle-state.js';
import type { FilterPlugin, PreFilterPlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';

/** A node where one of the Pod's host ports (ip, protocol, port; 0.0.0.0 meaning every address) is taken is rejected. */
export class NodePorts implements PreFilterPlugin, FilterPlugin {
  static readonly pluginName = 'NodePorts';
  readonly name = NodePorts.pluginName;

  preFilter(_state: CycleState, pod: PodInfo): { status?: Status } {
    return pod.hostPorts.length === 0 ? { status: Status.skip() } : {};
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Result {
    for (const p of pod.hostPorts) if (node.portInUse(p)) return Status.unschedulable("node(s) didn't have free ports for the requested pod ports");
    return undefined;
  }
}
