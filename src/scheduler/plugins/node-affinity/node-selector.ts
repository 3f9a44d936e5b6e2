import type { Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm } from 'kubernetes-types/core/v1.js';

/** One requirement of a NodeSelectorTerm against a label set (upstream's nodeaffinity helper semantics). */
export function matchesRequirement(r: NodeSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(value ?? '');
    case 'NotIn':
      return !has || !values.includes(value ?? '');
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1) return false;
      const a = Number.parseInt(value ?? '', 10);
      const b = Number.parseInt(values[0] ?? '', 10);
      if (!Number.isInteger(a) || !Number.isInteger(b) || !/^-?\d+$/.test(value ?? '') || !/^-?\d+$/.test(values[0] ?? '')) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** A term matches when it has at least one requirement and all of them (labels and the metadata.name field) match. */
export function matchesTerm(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  for (const r of exprs) if (!matchesRequirement(r, labels)) return false;
  if (fields.length > 0) {
    const fieldSet = { 'metadata.name': node.metadata?.name ?? '' };
    for (const r of fields) if (r.key !== 'metadata.name' || !matchesRequirement(r, fieldSet)) return false;
  }
  return true;
}

/** Terms are ORed; an empty list matches nothing. */
export function matchesNodeSelector(selector: NodeSelector, node: Node): boolean {
  return selector.nodeSelectorTerms.some((t) => matchesTerm(t, node));
}
