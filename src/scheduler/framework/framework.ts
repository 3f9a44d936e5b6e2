import type { Pod } from 'kubernetes-types/core/v1.js';
import type { RestClient } from '../../client/index.js';
import type { Clock } from '../../lib/index.js';
import type { CycleState } from './cycle-state.js';
import {
  MAX_NODE_SCORE,
  type AnyPlugin,
  type BindPlugin,
  type FilterPlugin,
  type Handle,
  type NodeScore,
  type PermitPlugin,
  type PluginFactory,
  type PostBindPlugin,
  type PostFilterPlugin,
  type PostFilterResult,
  type PreBindPlugin,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type QueueSortPlugin,
  type ReservePlugin,
  type ScorePlugin,
} from './interfaces.js';
import { staticListers, type SchedulerListers } from './listers.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import { Code, Status, type Result } from './status.js';

/** A plugin of a profile: its factory and its weight at Score (upstream's defaults when not given). */
export interface ProfilePlugin {
  readonly factory: PluginFactory;
  readonly weight?: number;
}

export interface FrameworkOptions {
  readonly profileName: string;
  readonly plugins: readonly ProfilePlugin[];
  readonly client: RestClient;
  readonly clock: Clock;
  readonly nodeInfos: () => readonly NodeInfo[];
  readonly nodeInfo: (name: string) => NodeInfo | undefined;
  /** Subsets of nodeInfos (computed from it when not given). */
  readonly nodeInfosWithPodsWithAffinity?: () => readonly NodeInfo[];
  readonly nodeInfosWithPodsWithRequiredAntiAffinity?: () => readonly NodeInfo[];
  /** Empty listers when not given. */
  readonly listers?: SchedulerListers;
  readonly event: (pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string) => void;
  /** upstream's percentageOfNodesToScore (0: the adaptive default). */
  readonly percentageOfNodesToScore?: number;
}

/**
 * One scheduling profile: its plugins sorted by extension point, and the calls that run them in upstream's order and
 * with upstream's rules (first rejection wins at Filter, Skip from PreFilter/PreScore turns off that plugin's
 * Filter/Score for the cycle, scores are normalised and then weighted).
 */
export class Framework implements Handle {
  readonly profileName: string;
  readonly client: RestClient;
  readonly clock: Clock;
  readonly percentageOfNodesToScore: number;
  readonly listers: SchedulerListers;
  readonly queueSort: QueueSortPlugin;
  private readonly preFilter: PreFilterPlugin[] = [];
  private readonly filterPlugins: FilterPlugin[] = [];
  private readonly postFilter: PostFilterPlugin[] = [];
  private readonly preScore: PreScorePlugin[] = [];
  private readonly scorePlugins: { plugin: ScorePlugin; weight: number }[] = [];
  private readonly reserve: ReservePlugin[] = [];
  private readonly permit: PermitPlugin[] = [];
  private readonly preBind: PreBindPlugin[] = [];
  private readonly bindPlugins: BindPlugin[] = [];
  private readonly postBind: PostBindPlugin[] = [];

  constructor(private readonly opts: FrameworkOptions) {
    this.profileName = opts.profileName;
    this.client = opts.client;
    this.clock = opts.clock;
    this.percentageOfNodesToScore = opts.percentageOfNodesToScore ?? 0;
    this.listers = opts.listers ?? staticListers();
    let queueSort: QueueSortPlugin | undefined;
    for (const entry of opts.plugins) {
      const p: AnyPlugin = entry.factory(this);
      if (p.less) queueSort ??= p as QueueSortPlugin;
      if (p.preFilter) this.preFilter.push(p as PreFilterPlugin);
      if (p.filter) this.filterPlugins.push(p as FilterPlugin);
      if (p.postFilter) this.postFilter.push(p as PostFilterPlugin);
      if (p.preScore) this.preScore.push(p as PreScorePlugin);
      if (p.score) this.scorePlugins.push({ plugin: p as ScorePlugin, weight: entry.weight ?? 1 });
      if (p.reserve) this.reserve.push(p as ReservePlugin);
      if (p.permit) this.permit.push(p as PermitPlugin);
      if (p.preBind) this.preBind.push(p as PreBindPlugin);
      if (p.bind) this.bindPlugins.push(p as BindPlugin);
      if (p.postBind) this.postBind.push(p as PostBindPlugin);
    }
    if (!queueSort) throw new Error(`profile ${opts.profileName}: no QueueSort plugin`);
    if (this.bindPlugins.length === 0) throw new Error(`profile ${opts.profileName}: no Bind plugin`);
    this.queueSort = queueSort;
  }

  nodeInfos(): readonly NodeInfo[] {
    return this.opts.nodeInfos();
  }

  nodeInfo(name: string): NodeInfo | undefined {
    return this.opts.nodeInfo(name);
  }

  nodeInfosWithPodsWithAffinity(): readonly NodeInfo[] {
    return this.opts.nodeInfosWithPodsWithAffinity?.() ?? this.opts.nodeInfos().filter((n) => n.podsWithAffinity.size > 0);
  }

  nodeInfosWithPodsWithRequiredAntiAffinity(): readonly NodeInfo[] {
    return this.opts.nodeInfosWithPodsWithRequiredAntiAffinity?.() ?? this.opts.nodeInfos().filter((n) => n.podsWithRequiredAntiAffinity.size > 0);
  }

  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.opts.event(pod, type, reason, message);
  }

  get hasPostFilter(): boolean {
    return this.postFilter.length > 0;
  }

  /** PreFilter: a rejection (or error) stops the cycle; the node sets of every plugin are intersected. */
  runPreFilterPlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { result?: PreFilterResult; status?: Status } {
    let nodeNames: Set<string> | undefined;
    for (const p of this.preFilter) {
      const { result, status } = p.preFilter(state, pod, nodes);
      if (status?.code === Code.Skip) {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      if (status) return { status: status.withPlugin(p.name) };
      if (result?.nodeNames) {
        nodeNames = nodeNames ? new Set([...nodeNames].filter((n) => result.nodeNames?.has(n))) : new Set(result.nodeNames);
        if (nodeNames.size === 0) return { status: Status.unresolvable(`node(s) didn't satisfy plugin(s) [${p.name}] simultaneously`).withPlugin(p.name) };
      }
    }
    return { result: nodeNames ? { nodeNames } : undefined };
  }

  runFilterPlugins(state: CycleState, pod: PodInfo, node: NodeInfo): Result {
    const skip = state.skipFilterPlugins;
    for (const p of this.filterPlugins) {
      if (skip.size > 0 && skip.has(p.name)) continue;
      const status = p.filter(state, pod, node);
      if (status) return status.withPlugin(p.name);
    }
    return undefined;
  }

  /**
   * runFilterPlugins for the many nodes of one cycle (call it after PreFilter): the plugins to run are worked out once
   * rather than at every node.
   */
  filterRunner(state: CycleState): (pod: PodInfo, node: NodeInfo) => Result {
    const skip = state.skipFilterPlugins;
    const plugins = skip.size === 0 ? this.filterPlugins : this.filterPlugins.filter((p) => !skip.has(p.name));
    return (pod, node) => {
      for (const p of plugins) {
        const status = p.filter(state, pod, node);
        if (status) return status.withPlugin(p.name);
      }
      return undefined;
    };
  }

  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, node: NodeInfo): void {
    for (const p of this.preFilter) if (!state.skipFilterPlugins.has(p.name)) p.extensions?.addPod(state, pod, toAdd, node);
  }

  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, node: NodeInfo): void {
    for (const p of this.preFilter) if (!state.skipFilterPlugins.has(p.name)) p.extensions?.removePod(state, pod, toRemove, node);
  }

  /** PostFilter plugins until one succeeds or returns an unresolvable status; their messages joined. */
  async runPostFilterPlugins(state: CycleState, pod: PodInfo, filtered: ReadonlyMap<string, Status>): Promise<{ result?: PostFilterResult; status?: Status }> {
    const messages: string[] = [];
    let last: PostFilterResult | undefined;
    for (const p of this.postFilter) {
      const { result, status } = await p.postFilter(state, pod, filtered);
      if (!status) return { result };
      if (status.code === Code.Error) return { status: status.withPlugin(p.name) };
      if (result) last = result;
      messages.push(status.message());
      if (status.code === Code.UnschedulableAndUnresolvable) break;
    }
    return { result: last, status: Status.unschedulable(...messages) };
  }

  runPreScorePlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Result {
    for (const p of this.preScore) {
      const status = p.preScore(state, pod, nodes);
      if (status?.code === Code.Skip) state.skipScorePlugins.add(p.name);
      else if (status) return status.withPlugin(p.name);
    }
    return undefined;
  }

  /** Every Score plugin on every node, normalised, weighted and summed per node (same order as `nodes`). */
  runScorePlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): number[] {
    const totals = new Array<number>(nodes.length).fill(0);
    // One list of node scores, refilled for each plugin (NormalizeScore changes it in place, before the next plugin).
    const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: 0 }));
    for (const { plugin, weight } of this.scorePlugins) {
      if (state.skipScorePlugins.has(plugin.name)) continue;
      for (let i = 0; i < nodes.length; i++) (scores[i] as NodeScore).score = plugin.score(state, pod, nodes[i] as NodeInfo);
      plugin.normalizeScore?.(state, pod, scores);
      for (let i = 0; i < scores.length; i++) {
        const s = scores[i]?.score ?? 0;
        if (s < 0 || s > MAX_NODE_SCORE) throw new Error(`plugin ${plugin.name} returns an invalid score ${s}, it should in the range of [0, ${MAX_NODE_SCORE}] after normalizing`);
        totals[i] = (totals[i] ?? 0) + s * weight;
      }
    }
    return totals;
  }

  runReservePluginsReserve(state: CycleState, pod: PodInfo, nodeName: string): Result {
    for (const p of this.reserve) {
      const status = p.reserve(state, pod, nodeName);
      if (status) return status.withPlugin(p.name);
    }
    return undefined;
  }

  /** In reverse order; every plugin, whatever the others did. */
  runReservePluginsUnreserve(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (const p of [...this.reserve].reverse()) p.unreserve(state, pod, nodeName);
  }

  runPermitPlugins(state: CycleState, pod: PodInfo, nodeName: string): Result {
    for (const p of this.permit) {
      const status = p.permit(state, pod, nodeName);
      if (status) return status.withPlugin(p.name);
    }
    return undefined;
  }

  async runPreBindPlugins(state: CycleState, pod: PodInfo, nodeName: string, signal?: AbortSignal): Promise<Result> {
    for (const p of this.preBind) {
      const status = await p.preBind(state, pod, nodeName, signal);
      if (status) return status.withPlugin(p.name);
    }
    return undefined;
  }

  async runBindPlugins(state: CycleState, pod: PodInfo, nodeName: string, signal?: AbortSignal): Promise<Result> {
    for (const p of this.bindPlugins) {
      const status = await p.bind(state, pod, nodeName, signal);
      if (status?.code === Code.Skip) continue;
      return status?.withPlugin(p.name);
    }
    return Status.error('no Bind plugin bound the pod');
  }

  runPostBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (const p of this.postBind) p.postBind(state, pod, nodeName);
  }
}
