import { isDeepStrictEqual } from 'node:util';
import type { ClusterRole, PolicyRule } from 'kubernetes-types/rbac/v1.js';
import { LabelSelector } from '../../api/index.js';

/**
 * The rules an aggregated ClusterRole should have (upstream's ClusterRoleAggregationController.syncClusterRole): for
 * each of its clusterRoleSelectors in order, the rules of every other ClusterRole it selects, by name, each rule once.
 * undefined when the role has no aggregationRule.
 */
export function aggregatedRules(role: ClusterRole, all: readonly ClusterRole[]): PolicyRule[] | undefined {
  if (!role.aggregationRule) return undefined;
  const rules: PolicyRule[] = [];
  const sorted = [...all].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const spec of role.aggregationRule.clusterRoleSelectors ?? []) {
    let selector: LabelSelector;
    try {
      selector = LabelSelector.fromSpec(spec);
    } catch {
      continue;
    }
    for (const other of sorted) {
      if (other.metadata?.name === role.metadata?.name || !selector.matches(other.metadata?.labels)) continue;
      for (const rule of other.rules ?? []) if (!rules.some((r) => isDeepStrictEqual(r, rule))) rules.push(rule);
    }
  }
  return rules;
}
