import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Labels } from '../../../api/index.js';
import type { AffinityTerm, PodAffinityTerms, WeightedAffinityTerm } from '../../framework/affinity-term.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE, type FilterPlugin, type Handle, type NodeScore, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from '../../framework/interfaces.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PodInfo } from '../../framework/pod-info.js';
import { Status, type Result } from '../../framework/status.js';

const PRE_FILTER_KEY = 'PreFilterInterPodAffinity';
const PRE_SCORE_KEY = 'PreScoreInterPodAffinity';
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
/** upstream's InterPodAffinityArgs default. */
export const DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1;

/** Counts per `topologyKey\0value`; entries reaching 0 are removed. */
class TopologyCounts extends Map<string, number> {
  bump(key: string, value: string, delta: number): void {
    const k = `${key}\0${value}`;
    const n = (this.get(k) ?? 0) + delta;
    if (n === 0) this.delete(k);
    else this.set(k, n);
  }

  at(key: string, value: string): number {
    return this.get(`${key}\0${value}`) ?? 0;
  }

  /** For each term whose topology key the node has, when `pod` matches every term (affinity: all terms at once). */
  addAffinity(terms: readonly AffinityTerm[], pod: Pod, labels: Labels, delta: number): void {
    if (!matchesAll(terms, pod)) return;
    for (const t of terms) {
      const v = labels[t.topologyKey];
      if (v !== undefined) this.bump(t.topologyKey, v, delta);
    }
  }

  /** For each term `pod` matches whose topology key the node has. */
  addAntiAffinity(terms: readonly AffinityTerm[], pod: Pod, nsLabels: Labels | undefined, labels: Labels, delta: number): void {
    for (const t of terms) {
      if (!t.matches(pod, nsLabels)) continue;
      const v = labels[t.topologyKey];
      if (v !== undefined) this.bump(t.topologyKey, v, delta);
    }
  }
}

function matchesAll(terms: readonly AffinityTerm[], pod: Pod): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!t.matches(pod, undefined)) return false;
  return true;
}

class PreFilterState implements StateData {
  constructor(
    readonly terms: PodAffinityTerms,
    readonly nsLabels: Labels,
    /** Existing Pods' required anti-affinity terms the incoming Pod matches, by their nodes' topology. */
    readonly existingAntiAffinity: TopologyCounts,
    /** Existing Pods matching all the incoming Pod's required affinity terms. */
    readonly affinity: TopologyCounts,
    /** Existing Pods matching the incoming Pod's required anti-affinity terms. */
    readonly antiAffinity: TopologyCounts,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(this.terms, this.nsLabels, new TopologyCounts(this.existingAntiAffinity), new TopologyCounts(this.affinity), new TopologyCounts(this.antiAffinity));
  }
}

class PreScoreState implements StateData {
  constructor(readonly topologyScore: Map<string, Map<string, number>>) {}
  clone(): StateData {
    return this;
  }
}

/**
 * upstream's InterPodAffinity. Filter: the Pod's required affinity terms must each find a matching Pod in the node's
 * domain (or, when no Pod anywhere matches and the Pod matches its own terms, any node with the topology keys will
 * do); its required anti-affinity terms must find none; and no existing Pod's required anti-affinity may select it
 * within that Pod's domain. Score: the weights of preferred terms (the Pod's and existing Pods', anti-affinity
 * negative) and hardPodAffinityWeight for existing Pods' required affinity, summed per domain; min-max normalised.
 */
export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  static readonly pluginName = 'InterPodAffinity';
  readonly name = InterPodAffinity.pluginName;

  constructor(
    private readonly handle: Handle,
    private readonly hardPodAffinityWeight = DEFAULT_HARD_POD_AFFINITY_WEIGHT,
  ) {}

  private nsLabels(namespace: string): Labels {
    return this.handle.listers.namespace(namespace)?.metadata?.labels ?? {};
  }

  /** upstream's mergeAffinityTermNamespacesIfNotEmpty: a namespaceSelector becomes the namespaces it selects now. */
  private merge(term: AffinityTerm): AffinityTerm {
    if (term.namespaceSelector.matchesNothing) return term;
    const names: string[] = [];
    for (const ns of this.handle.listers.namespaces()) if (term.namespaceSelector.matches(ns.metadata?.labels ?? {})) names.push(ns.metadata?.name ?? '');
    return term.withNamespaces(names);
  }

  preFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { status?: Status } {
    const own = pod.affinityTerms;
    const terms: PodAffinityTerms = {
      ...own,
      requiredAffinity: own.requiredAffinity.map((t) => this.merge(t)),
      requiredAntiAffinity: own.requiredAntiAffinity.map((t) => this.merge(t)),
    };
    const nsLabels = this.nsLabels(pod.namespace);
    const existing = new TopologyCounts();
    for (const n of this.handle.nodeInfosWithPodsWithRequiredAntiAffinity()) {
      const labels = n.node.metadata?.labels ?? {};
      for (const p of n.podsWithRequiredAntiAffinity.values()) existing.addAntiAffinity(p.affinityTerms.requiredAntiAffinity, pod.pod, nsLabels, labels, 1);
    }
    const affinity = new TopologyCounts();
    const antiAffinity = new TopologyCounts();
    if (terms.requiredAffinity.length > 0 || terms.requiredAntiAffinity.length > 0) {
      for (const n of nodes) {
        const labels = n.node.metadata?.labels ?? {};
        for (const p of n.pods.values()) {
          affinity.addAffinity(terms.requiredAffinity, p.pod, labels, 1);
          antiAffinity.addAntiAffinity(terms.requiredAntiAffinity, p.pod, undefined, labels, 1);
        }
      }
    }
    if (existing.size === 0 && terms.requiredAffinity.length === 0 && terms.requiredAntiAffinity.length === 0) return { status: Status.skip() };
    state.write(PRE_FILTER_KEY, new PreFilterState(terms, nsLabels, existing, affinity, antiAffinity));
    return {};
  }

  readonly extensions = {
    addPod: (state: CycleState, pod: PodInfo, toAdd: PodInfo, node: NodeInfo) => this.updateWithPod(state, pod, toAdd, node, 1),
    removePod: (state: CycleState, pod: PodInfo, toRemove: PodInfo, node: NodeInfo) => this.updateWithPod(state, pod, toRemove, node, -1),
  };

  private updateWithPod(state: CycleState, pod: PodInfo, updated: PodInfo, node: NodeInfo, delta: number): void {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return;
    const labels = node.node.metadata?.labels ?? {};
    s.existingAntiAffinity.addAntiAffinity(updated.affinityTerms.requiredAntiAffinity, pod.pod, s.nsLabels, labels, delta);
    s.affinity.addAffinity(s.terms.requiredAffinity, updated.pod, labels, delta);
    s.antiAffinity.addAntiAffinity(s.terms.requiredAntiAffinity, updated.pod, undefined, labels, delta);
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Result {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return undefined;
    const labels = node.node.metadata?.labels ?? {};
    if (!satisfiesAffinity(s, pod.pod, labels)) return Status.unresolvable(ERR_REASON_AFFINITY);
    if (s.antiAffinity.size > 0) {
      for (const t of s.terms.requiredAntiAffinity) {
        const v = labels[t.topologyKey];
        if (v !== undefined && s.antiAffinity.at(t.topologyKey, v) > 0) return Status.unschedulable(ERR_REASON_ANTI_AFFINITY);
      }
    }
    if (s.existingAntiAffinity.size > 0) {
      for (const [k, v] of Object.entries(labels)) if (s.existingAntiAffinity.at(k, v) > 0) return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
    }
    return undefined;
  }

  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Result {
    if (nodes.length === 0) return undefined;
    const own = pod.affinityTerms;
    const hasConstraints = own.preferredAffinity.length > 0 || own.preferredAntiAffinity.length > 0;
    const all = hasConstraints ? this.handle.nodeInfos() : this.handle.nodeInfosWithPodsWithAffinity();
    if (all.length === 0) return Status.skip();
    const mergeWeighted = (ts: readonly WeightedAffinityTerm[]) => ts.map((t) => ({ term: this.merge(t.term), weight: t.weight }));
    const preferredAffinity = mergeWeighted(own.preferredAffinity);
    const preferredAntiAffinity = mergeWeighted(own.preferredAntiAffinity);
    const nsLabels = this.nsLabels(pod.namespace);
    const score = new Map<string, Map<string, number>>();
    const add = (term: AffinityTerm, weight: number, target: Pod, targetNsLabels: Labels | undefined, labels: Labels) => {
      if (!term.matches(target, targetNsLabels)) return;
      const v = labels[term.topologyKey];
      if (v === undefined) return;
      let m = score.get(term.topologyKey);
      if (!m) score.set(term.topologyKey, (m = new Map()));
      m.set(v, (m.get(v) ?? 0) + weight);
    };
    for (const n of all) {
      const labels = n.node.metadata?.labels ?? {};
      if (Object.keys(labels).length === 0) continue;
      const pods = hasConstraints ? n.pods : n.podsWithAffinity;
      for (const existing of pods.values()) {
        for (const t of preferredAffinity) add(t.term, t.weight, existing.pod, undefined, labels);
        for (const t of preferredAntiAffinity) add(t.term, -t.weight, existing.pod, undefined, labels);
        if (!existing.hasAffinity) continue;
        const et = existing.affinityTerms;
        if (this.hardPodAffinityWeight > 0) for (const t of et.requiredAffinity) add(t, this.hardPodAffinityWeight, pod.pod, nsLabels, labels);
        for (const t of et.preferredAffinity) add(t.term, t.weight, pod.pod, nsLabels, labels);
        for (const t of et.preferredAntiAffinity) add(t.term, -t.weight, pod.pod, nsLabels, labels);
      }
    }
    if (score.size === 0) return Status.skip();
    state.write(PRE_SCORE_KEY, new PreScoreState(score));
    return undefined;
  }

  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s) return 0;
    const labels = node.node.metadata?.labels ?? {};
    let total = 0;
    for (const [key, values] of s.topologyScore) {
      const v = labels[key];
      if (v !== undefined) total += values.get(v) ?? 0;
    }
    return total;
  }

  /** 100 × (score − min) / (max − min), truncated; all 0 when every node scored the same. */
  normalizeScore(state: CycleState, _pod: PodInfo, scores: NodeScore[]): void {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s || s.topologyScore.size === 0) return;
    let min = Infinity;
    let max = -Infinity;
    for (const sc of scores) {
      if (sc.score > max) max = sc.score;
      if (sc.score < min) min = sc.score;
    }
    const diff = max - min;
    for (const sc of scores) sc.score = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((sc.score - min) / diff)) : 0;
  }
}

/** Every required affinity term's topology key on the node, and a matching Pod in each domain (or the self-match rule). */
function satisfiesAffinity(s: PreFilterState, pod: Pod, labels: Labels): boolean {
  let podsExist = true;
  for (const t of s.terms.requiredAffinity) {
    const v = labels[t.topologyKey];
    if (v === undefined) return false;
    if (s.affinity.at(t.topologyKey, v) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  return s.affinity.size === 0 && matchesAll(s.terms.requiredAffinity, pod);
}
