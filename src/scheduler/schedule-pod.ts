import { CycleState } from './framework/cycle-state.js';
import { fitErrorMessage } from './framework/fit-error.js';
import type { Framework } from './framework/framework.js';
import type { NodeInfo } from './framework/node-info.js';
import type { PodInfo } from './framework/pod-info.js';
import { Code, Status } from './framework/status.js';
import { numFeasibleNodesToFind } from './num-feasible-nodes.js';

/** No node fits: the statuses per node that rejected it, and upstream's message for them. */
export class FitError {
  constructor(
    readonly numAllNodes: number,
    readonly nodeStatuses: Map<string, Status>,
    readonly unschedulablePlugins: Set<string>,
    readonly preFilterMsg = '',
    public postFilterMsg = '',
  ) {}

  message(): string {
    if (this.numAllNodes === 0) return ERR_NO_NODES_AVAILABLE;
    return fitErrorMessage(this.numAllNodes, this.nodeStatuses, this.preFilterMsg, this.postFilterMsg);
  }
}

export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export interface ScheduleResult {
  readonly suggestedHost: string;
  readonly evaluatedNodes: number;
  readonly feasibleNodes: number;
}

/**
 * The filtering and scoring part of a scheduling cycle (upstream's schedulePod): PreFilter, Filter over the nodes
 * starting where the previous cycle stopped until enough feasible nodes are found, PreScore, Score, and a random
 * choice among the best. Throws a FitError when nothing fits.
 */
export class PodScheduler {
  private nextStartNodeIndex = 0;

  constructor(private readonly random: () => number = Math.random) {}

  schedule(fwk: Framework, state: CycleState, pod: PodInfo, allNodes: readonly NodeInfo[]): ScheduleResult {
    if (allNodes.length === 0) throw new FitError(0, new Map(), new Set());
    const { feasible, statuses, unschedulablePlugins, preFilterMsg } = this.findNodesThatFit(fwk, state, pod, allNodes);
    if (feasible.length === 0) throw new FitError(allNodes.length, statuses, unschedulablePlugins, preFilterMsg);
    const evaluated = feasible.length + statuses.size;
    const only = feasible[0];
    if (feasible.length === 1 && only) return { suggestedHost: only.name, evaluatedNodes: evaluated, feasibleNodes: 1 };
    const preScore = fwk.runPreScorePlugins(state, pod, feasible);
    if (preScore) throw new Error(`running PreScore plugin ${preScore.plugin}: ${preScore.message()}`);
    const totals = fwk.runScorePlugins(state, pod, feasible);
    return { suggestedHost: this.selectHost(feasible, totals), evaluatedNodes: evaluated, feasibleNodes: feasible.length };
  }

  private findNodesThatFit(fwk: Framework, state: CycleState, pod: PodInfo, allNodes: readonly NodeInfo[]) {
    const statuses = new Map<string, Status>();
    const unschedulablePlugins = new Set<string>();
    const pre = fwk.runPreFilterPlugins(state, pod, allNodes);
    if (pre.status) {
      if (pre.status.code === Code.Error) throw new Error(`running PreFilter plugin ${pre.status.plugin}: ${pre.status.message()}`);
      for (const n of allNodes) statuses.set(n.name, pre.status);
      unschedulablePlugins.add(pre.status.plugin);
      return { feasible: [], statuses, unschedulablePlugins, preFilterMsg: pre.status.message() };
    }
    let nodes = allNodes;
    const only = pre.result?.nodeNames;
    if (only) nodes = allNodes.filter((n) => only.has(n.name));
    const toFind = numFeasibleNodesToFind(nodes.length, fwk.percentageOfNodesToScore);
    const feasible: NodeInfo[] = [];
    const n = nodes.length;
    const start = only ? 0 : this.nextStartNodeIndex % Math.max(1, n);
    let processed = 0;
    const filter = fwk.filterRunner(state);
    for (let i = 0; i < n && feasible.length < toFind; i++) {
      const node = nodes[(start + i) % n] as NodeInfo;
      processed++;
      const status = filter(pod, node);
      if (!status) feasible.push(node);
      else if (status.code === Code.Error) throw new Error(`running Filter plugin ${status.plugin}: ${status.message()}`);
      else {
        statuses.set(node.name, status);
        unschedulablePlugins.add(status.plugin);
      }
    }
    if (!only) this.nextStartNodeIndex = (start + processed) % Math.max(1, allNodes.length);
    return { feasible, statuses, unschedulablePlugins, preFilterMsg: '' };
  }

  /** The node with the highest total; ties broken uniformly at random (reservoir sampling, as upstream). */
  private selectHost(nodes: readonly NodeInfo[], totals: readonly number[]): string {
    let best = -Infinity;
    let host = '';
    let ties = 0;
    for (let i = 0; i < nodes.length; i++) {
      const s = totals[i] ?? 0;
      if (s > best) {
        best = s;
        host = nodes[i]?.name ?? '';
        ties = 1;
      } else if (s === best) {
        ties++;
        if (Math.floor(this.random() * ties) === 0) host = nodes[i]?.name ?? '';
      }
    }
    return host;
  }
}

export { CycleState, Status };
