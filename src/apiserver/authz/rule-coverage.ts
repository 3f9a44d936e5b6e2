import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';

/** upstream's BreakdownRule: one rule per (group, resource, verb, resourceName) and per (URL, verb). */
export function breakdownRule(r: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of r.apiGroups ?? []) {
    for (const resource of r.resources ?? []) {
      for (const verb of r.verbs) {
        const names = r.resourceNames ?? [];
        if (names.length === 0) out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
        for (const name of names) out.push({ apiGroups: [group], resources: [resource], resourceNames: [name], verbs: [verb] });
      }
    }
  }
  for (const url of r.nonResourceURLs ?? []) for (const verb of r.verbs) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

const hasAll = (owner: readonly string[], wanted: readonly string[], all = '*') => owner.includes(all) || wanted.every((w) => owner.includes(w));

function resourcesCovered(owner: readonly string[], wanted: readonly string[]): boolean {
  if (owner.includes('*')) return true;
  return wanted.every((w) => {
    if (owner.includes(w)) return true;
    const slash = w.indexOf('/');
    return slash >= 0 && owner.includes(`*/${w.slice(slash + 1)}`);
  });
}

function urlsCovered(owner: readonly string[], wanted: readonly string[]): boolean {
  return wanted.every((w) => owner.some((o) => o === '*' || o === w || (o.endsWith('*') && w.startsWith(o.slice(0, -1)))));
}

/** upstream's ruleCovers: whether `owner` grants everything `servant` (one broken-down rule) grants. */
function ruleCovers(owner: PolicyRule, servant: PolicyRule): boolean {
  if (!hasAll(owner.verbs, servant.verbs)) return false;
  if (!hasAll(owner.apiGroups ?? [], servant.apiGroups ?? [])) return false;
  if (!resourcesCovered(owner.resources ?? [], servant.resources ?? [])) return false;
  if (!urlsCovered(owner.nonResourceURLs ?? [], servant.nonResourceURLs ?? [])) return false;
  const ownerNames = owner.resourceNames ?? [];
  const names = servant.resourceNames ?? [];
  if (ownerNames.length === 0) return true;
  return names.length > 0 && names.every((n) => ownerNames.includes(n));
}

/** upstream's Covers: whether the owner's rules grant every servant rule, and which broken-down rules they do not. */
export function covers(ownerRules: readonly PolicyRule[], servantRules: readonly PolicyRule[]): { covered: boolean; missing: PolicyRule[] } {
  const missing: PolicyRule[] = [];
  for (const servant of servantRules) {
    for (const sub of breakdownRule(servant)) if (!ownerRules.some((o) => ruleCovers(o, sub))) missing.push(sub);
  }
  return { covered: missing.length === 0, missing };
}

/** upstream's CompactRules: simple rules (one group, one resource, no names) that differ only by verb become one. */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const isSimple = (r.apiGroups ?? []).length === 1 && (r.resources ?? []).length === 1 && (r.resourceNames ?? []).length === 0 && (r.nonResourceURLs ?? []).length === 0;
    if (!isSimple) {
      out.push(r);
      continue;
    }
    const key = `${r.apiGroups![0]!}\u0000${r.resources![0]!}`;
    const existing = simple.get(key);
    if (!existing) {
      const copy = { ...r, verbs: [...r.verbs] };
      simple.set(key, copy);
      out.push(copy);
    } else {
      for (const v of r.verbs) if (!existing.verbs.includes(v)) existing.verbs.push(v);
    }
  }
  return out;
}

/** Go's %q of a []string: `["a" "b"]`. */
const quoted = (values: readonly string[]) => `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;

/** upstream's CompactString: `{APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "list"]}`. */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if ((r.apiGroups ?? []).length > 0) parts.push(`APIGroups:${quoted(r.apiGroups!)}`);
  if ((r.resources ?? []).length > 0) parts.push(`Resources:${quoted(r.resources!)}`);
  if ((r.nonResourceURLs ?? []).length > 0) parts.push(`NonResourceURLs:${quoted(r.nonResourceURLs!)}`);
  if ((r.resourceNames ?? []).length > 0) parts.push(`ResourceNames:${quoted(r.resourceNames!)}`);
  if (r.verbs.length > 0) parts.push(`Verbs:${quoted(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}
