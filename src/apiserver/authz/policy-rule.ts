import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';

/** A resource rule: `verbs` on `resources` of `groups` (optionally only the named objects). */
export function rule(verbs: readonly string[], groups: readonly string[], resources: readonly string[], resourceNames?: readonly string[]): PolicyRule {
  const out: PolicyRule = { verbs: [...verbs], apiGroups: [...groups], resources: [...resources] };
  if (resourceNames && resourceNames.length > 0) out.resourceNames = [...resourceNames];
  return out;
}

/** A non-resource rule: `verbs` on URL paths (a trailing `*` matches a prefix). */
export function urlRule(verbs: readonly string[], urls: readonly string[]): PolicyRule {
  return { verbs: [...verbs], nonResourceURLs: [...urls] };
}

export const READ = ['get', 'list', 'watch'] as const;
export const READ_WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] as const;
export const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'] as const;
/** Events may be created, patched (aggregation) and updated in both event groups. */
export const EVENTS_RULES: readonly PolicyRule[] = [rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events'])];
