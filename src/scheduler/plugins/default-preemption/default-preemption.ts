import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../../api/index.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { fitErrorMessage } from '../../framework/fit-error.js';
import type { Handle, PostFilterPlugin, PostFilterResult } from '../../framework/interfaces.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Code, Status } from '../../framework/status.js';
import { pickCandidate, selectVictimsOnNode, type Candidate } from './select-victims.js';

const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
/** upstream's MinCandidateNodesPercentage and MinCandidateNodesAbsolute. */
const MIN_CANDIDATE_PERCENTAGE = 10;
const MIN_CANDIDATE_ABSOLUTE = 100;

/**
 * PostFilter: when no node fits, finds the node where evicting the fewest, least important lower-priority Pods makes
 * room, evicts them (DisruptionTarget condition, then delete, and a `Preempted` event) and nominates the node for the
 * Pod. Otherwise says why not, in upstream's words ("preemption: 0/3 nodes are available: 3 No preemption victims found
 * for incoming pod."). PodDisruptionBudgets are not considered.
 */
export class DefaultPreemption implements PostFilterPlugin {
  static readonly pluginName = 'DefaultPreemption';
  readonly name = DefaultPreemption.pluginName;

  constructor(
    private readonly handle: Handle,
    private readonly random: () => number = Math.random,
  ) {}

  async postFilter(state: CycleState, pod: PodInfo, filtered: ReadonlyMap<string, Status>): Promise<{ result?: PostFilterResult; status: Status | undefined }> {
    if (pod.pod.spec?.preemptionPolicy === 'Never') return { status: Status.unschedulable('preemption: not eligible due to preemptionPolicy=Never.') };
    const all = this.handle.nodeInfos();
    const potential = all.filter((n) => filtered.get(n.name)?.code === Code.Unschedulable);
    const statuses = new Map<string, Status>();
    const candidates: Candidate[] = [];
    if (potential.length > 0) {
      const wanted = Math.min(potential.length, Math.max(Math.trunc((potential.length * MIN_CANDIDATE_PERCENTAGE) / 100), MIN_CANDIDATE_ABSOLUTE));
      const offset = Math.floor(this.random() * potential.length);
      for (let i = 0; i < potential.length && candidates.length < wanted; i++) {
        const node = potential[(offset + i) % potential.length];
        if (!node) continue;
        const { victims, status } = selectVictimsOnNode(this.handle, state.clone(), pod, node.clone());
        if (victims) candidates.push({ node: node.name, victims });
        else if (status) statuses.set(node.name, status);
      }
    }
    if (candidates.length === 0) {
      for (const n of all) if (!statuses.has(n.name)) statuses.set(n.name, Status.unresolvable(NOT_HELPFUL));
      const message = fitErrorMessage(all.length, statuses);
      return { result: { nominatedNodeName: '' }, status: Status.unschedulable(`preemption: ${message}`) };
    }
    const best = pickCandidate(candidates);
    if (!best) return { status: Status.unschedulable('preemption: no candidate node for preemption') };
    for (const victim of best.victims) {
      try {
        await this.evict(pod.pod, victim.pod, best.node);
      } catch (err) {
        return { status: Status.error(err) };
      }
    }
    return { result: { nominatedNodeName: best.node }, status: undefined };
  }

  private async evict(preemptor: Pod, victim: Pod, node: string): Promise<void> {
    const pods = this.handle.client.kind<Pod>('v1', 'Pod');
    const ns = victim.metadata?.namespace ?? '';
    const name = victim.metadata?.name ?? '';
    const condition = {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: `${preemptor.spec?.schedulerName ?? 'default-scheduler'}: preempting to accommodate a higher priority pod`,
      lastTransitionTime: new Date(this.handle.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    try {
      await pods.patch(ns, name, 'strategic', { status: { conditions: [condition] } }, { subresource: 'status' });
      await pods.delete(ns, name, { preconditions: { uid: victim.metadata?.uid } });
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      throw err;
    }
    this.handle.event({ ...victim, apiVersion: 'v1', kind: 'Pod' }, 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata?.uid ?? ''} on node ${node}`);
  }
}
