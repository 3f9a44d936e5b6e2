import type { Node, Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { LabelSelector } from '../../../api/index.js';
import { safeSelector } from '../../framework/affinity-term.js';
import type { SchedulerListers } from '../../framework/listers.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { findUntoleratedTaint } from '../taint-toleration/tolerations.js';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

/** A topology spread constraint with its defaults applied and its selector parsed (matchLabelKeys merged in). */
export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly minDomains: number;
  readonly selector: LabelSelector;
  readonly nodeAffinityPolicy: string;
  readonly nodeTaintsPolicy: string;
}

/** upstream's system default constraints (defaultingType List… System): used when a Pod has none of its own. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = [
  { maxSkew: 3, topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway' },
  { maxSkew: 5, topologyKey: LABEL_ZONE, whenUnsatisfiable: 'ScheduleAnyway' },
];

/**
 * The constraints with `whenUnsatisfiable` = action: minDomains 1, nodeAffinityPolicy Honor and nodeTaintsPolicy
 * Ignore unless set; the values of the Pod's labels named in matchLabelKeys are added to the selector.
 */
export function filterConstraints(constraints: readonly TopologySpreadConstraint[], podLabels: Readonly<Record<string, string>>, action: string): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (const c of constraints) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = safeSelector(c.labelSelector);
    for (const key of c.matchLabelKeys ?? []) {
      const value = podLabels[key];
      if (value !== undefined) selector = selector.add({ key, operator: 'in', values: [value] });
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      minDomains: c.minDomains ?? 1,
      selector,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
    });
  }
  return out;
}

/** The Pod's own constraints with that action, or the system defaults with the selector of its Services and controller. */
export function podConstraints(pod: Pod, podLabels: Readonly<Record<string, string>>, action: string, listers: SchedulerListers): SpreadConstraint[] {
  const own = pod.spec?.topologySpreadConstraints ?? [];
  if (own.length > 0) return filterConstraints(own, podLabels, action);
  const defaults = filterConstraints(SYSTEM_DEFAULT_CONSTRAINTS, podLabels, action);
  if (defaults.length === 0) return [];
  const selector = defaultSelector(pod, listers);
  if (selector.isEmpty() || selector.matchesNothing) return [];
  return defaults.map((c) => ({ ...c, selector }));
}

/**
 * upstream's helper.DefaultSelector: the selectors of the Services that select the Pod merged, plus the selector of
 * its controlling ReplicationController, ReplicaSet or StatefulSet.
 */
export function defaultSelector(pod: Pod, listers: SchedulerListers): LabelSelector {
  const ns = pod.metadata?.namespace ?? '';
  const labels = pod.metadata?.labels ?? {};
  let set: Record<string, string> = {};
  for (const svc of listers.services(ns)) {
    const sel = svc.spec?.selector;
    if (!sel) continue;
    if (LabelSelector.fromSet(sel).matches(labels)) set = { ...set, ...sel };
  }
  let selector = LabelSelector.fromSet(set);
  const owner = pod.metadata?.ownerReferences?.find((r) => r.controller === true);
  if (!owner) return selector;
  if (owner.apiVersion === 'v1' && owner.kind === 'ReplicationController') {
    const rc = listers.replicationController(ns, owner.name);
    if (rc) selector = LabelSelector.fromSet({ ...set, ...(rc.spec?.selector ?? {}) });
  } else if (owner.apiVersion === 'apps/v1' && (owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet')) {
    const ctrl = owner.kind === 'ReplicaSet' ? listers.replicaSet(ns, owner.name) : listers.statefulSet(ns, owner.name);
    if (ctrl) {
      const other = safeSelector(ctrl.spec?.selector);
      if (!other.matchesNothing) selector = selector.add(...other.requirements());
    }
  }
  return selector;
}

/** Whether the node has every constraint's topology key. */
export function nodeHasAllKeys(labels: Readonly<Record<string, string>>, constraints: readonly SpreadConstraint[]): boolean {
  for (const c of constraints) if (!Object.hasOwn(labels, c.topologyKey)) return false;
  return true;
}

/** nodeAffinityPolicy Honor: the node must pass the Pod's required node affinity; nodeTaintsPolicy Honor: its taints must be tolerated. */
export function matchesInclusionPolicies(c: SpreadConstraint, pod: Pod, node: Node, affinity: (node: Node) => boolean): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !affinity(node)) return false;
  if (c.nodeTaintsPolicy === 'Honor' && findUntoleratedTaint(node.spec?.taints ?? [], pod.spec?.tolerations, ['NoSchedule', 'NoExecute'])) return false;
  return true;
}

/** The key a node's count of Pods matching `selector` in `namespace` is kept under (see NodeInfo.countPods). */
export function countKey(selector: LabelSelector, namespace: string): string {
  return `topology-spread\0${namespace}\0${selector.toString()}`;
}

/**
 * Pods on the node in `namespace`, not being deleted, that the selector matches. `key` is countKey(selector, namespace),
 * which callers counting over many nodes build once.
 */
export function countMatching(node: NodeInfo, selector: LabelSelector, namespace: string, key = countKey(selector, namespace)): number {
  if (selector.matchesNothing) return 0;
  const counted = node.countedPods(key);
  if (counted !== undefined) return counted;
  let n = 0;
  for (const p of node.pods.values()) {
    const m = p.pod.metadata;
    if (m?.deletionTimestamp || (m?.namespace ?? '') !== namespace) continue;
    if (selector.matches(m?.labels ?? {})) n++;
  }
  node.rememberCount(key, n);
  return n;
}
