import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, type FilterPlugin, type Handle, type NodeScore, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';
import { requiredNodeAffinity } from '../node-affinity/node-affinity.js';
import { LABEL_HOSTNAME, countKey, countMatching, matchesInclusionPolicies, nodeHasAllKeys, podConstraints, type SpreadConstraint } from './constraints.js';
import { DomainCounts } from './domain-counts.js';

const PRE_FILTER_KEY = 'PreFilterPodTopologySpread';
const PRE_SCORE_KEY = 'PreScorePodTopologySpread';
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;
const MAX_INT32 = 2 ** 31 - 1;
/** Constraints whose sums over all nodes are kept between cycles (one per ReplicaSet or Service selector in use). */
const MAX_DOMAIN_COUNTS = 64;

interface Path {
  value: string;
  num: number;
}

/**
 * The two topology values with the fewest matching Pods of a constraint (the first is always the minimum), kept up
 * to date as preemption adds and removes Pods on one node.
 */
class CriticalPaths {
  constructor(readonly p: [Path, Path] = [{ value: '', num: MAX_INT32 }, { value: '', num: MAX_INT32 }]) {}

  update(value: string, num: number): void {
    const [a, b] = this.p;
    const i = value === a.value ? 0 : value === b.value ? 1 : -1;
    if (i >= 0) {
      (i === 0 ? a : b).num = num;
      if (this.p[0].num > this.p[1].num) this.p.reverse();
    } else if (num < a.num) {
      this.p[1] = a;
      this.p[0] = { value, num };
    } else if (num < b.num) {
      this.p[1] = { value, num };
    }
  }

  get min(): number {
    return this.p[0].num;
  }

  clone(): CriticalPaths {
    return new CriticalPaths([{ ...this.p[0] }, { ...this.p[1] }]);
  }
}

class PreFilterState implements StateData {
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    readonly paths: CriticalPaths[],
    /** Per constraint: topology value → matching Pods, over the nodes eligible for it. */
    readonly matchNum: Map<string, number>[],
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(this.constraints, this.paths.map((p) => p.clone()), this.matchNum.map((m) => new Map(m)));
  }
}

class PreScoreState implements StateData {
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    /** Nodes without every topology key (only with the Pod's own constraints). */
    readonly ignored: Set<string>,
    /** Per constraint (but hostname): topology value of a feasible node → matching Pods. */
    readonly podCounts: Map<string, number>[],
    readonly weights: number[],
    /** Per constraint: its countKey for the Pod's namespace. */
    readonly keys: readonly string[],
  ) {}

  clone(): StateData {
    return this;
  }
}

/**
 * upstream's PodTopologySpread. Filter (whenUnsatisfiable DoNotSchedule): placing the Pod on the node must keep
 * `matching Pods in the node's domain + 1 (if it matches itself) − the global minimum` ≤ maxSkew, the minimum being 0
 * while fewer than minDomains domains exist. Score (ScheduleAnyway): fewer matching Pods in the node's domains is
 * better, each constraint's count weighted by log(number of domains + 2). A Pod without constraints that belongs to a
 * Service, ReplicationController, ReplicaSet or StatefulSet gets the system defaults (hostname maxSkew 3, zone maxSkew 5,
 * ScheduleAnyway).
 */
export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  static readonly pluginName = 'PodTopologySpread';
  readonly name = PodTopologySpread.pluginName;
  /** The defaults are the system's, so nodes without a zone label still count for hostname spreading. */
  private readonly systemDefaulted = true;
  private readonly domainCounts = new Map<string, DomainCounts>();

  constructor(private readonly handle: Handle) {}

  preFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { status?: Status } {
    const constraints = podConstraints(pod.pod, pod.labels, 'DoNotSchedule', this.handle.listers);
    if (constraints.length === 0) return { status: Status.skip() };
    const matchNum = constraints.map(() => new Map<string, number>());
    const keys = constraints.map((c) => countKey(c.selector, pod.namespace));
    const affinity = requiredNodeAffinity(pod.pod);
    for (const n of nodes) {
      const labels = n.node.metadata?.labels ?? {};
      if (!nodeHasAllKeys(labels, constraints)) continue;
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i] as SpreadConstraint;
        if (!matchesInclusionPolicies(c, pod.pod, n.node, affinity)) continue;
        const value = labels[c.topologyKey] ?? '';
        const m = matchNum[i] as Map<string, number>;
        m.set(value, (m.get(value) ?? 0) + countMatching(n, c.selector, pod.namespace, keys[i]));
      }
    }
    const paths = matchNum.map((m) => {
      const p = new CriticalPaths();
      for (const [value, num] of m) p.update(value, num);
      return p;
    });
    state.write(PRE_FILTER_KEY, new PreFilterState(constraints, paths, matchNum));
    return {};
  }

  readonly extensions = {
    addPod: (state: CycleState, pod: PodInfo, toAdd: PodInfo, node: NodeInfo) => this.updateWithPod(state, pod, toAdd, node, 1),
    removePod: (state: CycleState, pod: PodInfo, toRemove: PodInfo, node: NodeInfo) => this.updateWithPod(state, pod, toRemove, node, -1),
  };

  private updateWithPod(state: CycleState, pod: PodInfo, updated: PodInfo, node: NodeInfo, delta: number): void {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s || updated.namespace !== pod.namespace) return;
    const labels = node.node.metadata?.labels ?? {};
    if (!nodeHasAllKeys(labels, s.constraints)) return;
    const affinity = requiredNodeAffinity(pod.pod);
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i] as SpreadConstraint;
      if (!c.selector.matches(updated.labels)) continue;
      if (!matchesInclusionPolicies(c, pod.pod, node.node, affinity)) continue;
      const value = labels[c.topologyKey] ?? '';
      const m = s.matchNum[i] as Map<string, number>;
      const num = (m.get(value) ?? 0) + delta;
      m.set(value, num);
      s.paths[i]?.update(value, num);
    }
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Result {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s || s.constraints.length === 0) return undefined;
    const labels = node.node.metadata?.labels ?? {};
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i] as SpreadConstraint;
      if (!Object.hasOwn(labels, c.topologyKey)) return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      const m = s.matchNum[i] as Map<string, number>;
      const minMatch = m.size < c.minDomains ? 0 : (s.paths[i]?.min ?? 0);
      const self = c.selector.matches(pod.labels) ? 1 : 0;
      const skew = (m.get(labels[c.topologyKey] ?? '') ?? 0) + self - minMatch;
      if (skew > c.maxSkew) return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return undefined;
  }

  preScore(state: CycleState, pod: PodInfo, filtered: readonly NodeInfo[]): Result {
    const all = this.handle.nodeInfos();
    if (filtered.length === 0 || all.length === 0) return Status.skip();
    const constraints = podConstraints(pod.pod, pod.labels, 'ScheduleAnyway', this.handle.listers);
    if (constraints.length === 0) return Status.skip();
    const requireAll = (pod.pod.spec?.topologySpreadConstraints?.length ?? 0) > 0 || !this.systemDefaulted;
    const ignored = new Set<string>();
    const podCounts = constraints.map(() => new Map<string, number>());
    const sizes = constraints.map(() => 0);
    for (const n of filtered) {
      const labels = n.node.metadata?.labels ?? {};
      if (requireAll && !nodeHasAllKeys(labels, constraints)) {
        ignored.add(n.name);
        continue;
      }
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i] as SpreadConstraint;
        if (c.topologyKey === LABEL_HOSTNAME) continue;
        const m = podCounts[i] as Map<string, number>;
        const value = labels[c.topologyKey] ?? '';
        if (!m.has(value)) {
          m.set(value, 0);
          sizes[i] = (sizes[i] ?? 0) + 1;
        }
      }
    }
    const weights = constraints.map((c, i) => Math.log((c.topologyKey === LABEL_HOSTNAME ? filtered.length - ignored.size : (sizes[i] ?? 0)) + 2));
    const keys = constraints.map((c) => countKey(c.selector, pod.namespace));
    // Per topology value, the matching Pods over every node (hostname counts are per node, taken in Score).
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i] as SpreadConstraint;
      if (c.topologyKey === LABEL_HOSTNAME) continue;
      const m = podCounts[i] as Map<string, number>;
      if (this.inclusionIsUniform(c, pod)) {
        const totals = this.sumsOverNodes(c, constraints, requireAll, pod.namespace, keys[i] as string).update(all);
        for (const value of m.keys()) m.set(value, totals.get(value) ?? 0);
        continue;
      }
      const affinity = requiredNodeAffinity(pod.pod);
      for (const n of all) {
        const labels = n.node.metadata?.labels ?? {};
        if (requireAll && !nodeHasAllKeys(labels, constraints)) continue;
        if (!matchesInclusionPolicies(c, pod.pod, n.node, affinity)) continue;
        const value = labels[c.topologyKey] ?? '';
        const current = m.get(value);
        if (current !== undefined) m.set(value, current + countMatching(n, c.selector, pod.namespace, keys[i]));
      }
    }
    state.write(PRE_SCORE_KEY, new PreScoreState(constraints, ignored, podCounts, weights, keys));
    return undefined;
  }

  /** Every node passes the constraint's inclusion policies whatever it is: the Pod has no required node affinity to honour, and taints are ignored. */
  private inclusionIsUniform(c: SpreadConstraint, pod: PodInfo): boolean {
    if (c.nodeTaintsPolicy === 'Honor') return false;
    if (c.nodeAffinityPolicy !== 'Honor') return true;
    const spec = pod.pod.spec;
    return (spec?.nodeSelector === undefined || Object.keys(spec.nodeSelector).length === 0) && spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution === undefined;
  }

  /** The kept sums for constraint `c` (with `key` its countKey): a node counts when it has the keys required of it. */
  private sumsOverNodes(c: SpreadConstraint, constraints: readonly SpreadConstraint[], requireAll: boolean, namespace: string, key: string): DomainCounts {
    const required = requireAll ? constraints.map((x) => x.topologyKey) : [];
    const id = `${key}\0${c.topologyKey}\0${required.join('\0')}`;
    let counts = this.domainCounts.get(id);
    if (counts === undefined) {
      if (this.domainCounts.size >= MAX_DOMAIN_COUNTS) this.domainCounts.clear();
      counts = new DomainCounts((n) => {
        const labels = n.node.metadata?.labels ?? {};
        if (required.some((k) => !Object.hasOwn(labels, k))) return { domain: undefined, count: 0 };
        return { domain: labels[c.topologyKey] ?? '', count: countMatching(n, c.selector, namespace, key) };
      });
      this.domainCounts.set(id, counts);
    }
    return counts;
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s || (s.ignored.size > 0 && s.ignored.has(node.name))) return 0;
    const labels = node.node.metadata?.labels ?? {};
    let score = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i] as SpreadConstraint;
      if (!Object.hasOwn(labels, c.topologyKey)) continue;
      const count = c.topologyKey === LABEL_HOSTNAME ? countMatching(node, c.selector, pod.namespace, s.keys[i]) : (s.podCounts[i]?.get(labels[c.topologyKey] ?? '') ?? 0);
      score += count * (s.weights[i] ?? 0) + (c.maxSkew - 1);
    }
    return Math.round(score);
  }

  /** Fewer matching Pods is better: 100 × (max + min − score) / max, ignored nodes 0, every node 100 when max is 0. */
  normalizeScore(state: CycleState, _pod: PodInfo, scores: NodeScore[]): void {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s) return;
    let min = Number.MAX_SAFE_INTEGER;
    let max = 0;
    const ignored = s.ignored.size > 0 ? s.ignored : undefined;
    for (const sc of scores) {
      if (ignored?.has(sc.name)) continue;
      if (sc.score < min) min = sc.score;
      if (sc.score > max) max = sc.score;
    }
    for (const sc of scores) {
      if (ignored?.has(sc.name)) sc.score = 0;
      else if (max === 0) sc.score = MAX_NODE_SCORE;
      else sc.score = Math.trunc((MAX_NODE_SCORE * (max + min - sc.score)) / max);
    }
  }
}
