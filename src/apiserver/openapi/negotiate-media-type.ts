interface Clause {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
  readonly order: number;
}

function parseClauses(accept: string): Clause[] {
  const clauses: Clause[] = [];
  for (const [order, part] of accept.split(',').entries()) {
    const [range = '', ...params] = part.split(';').map((s) => s.trim());
    const slash = range.indexOf('/');
    const type = slash < 0 ? range : range.slice(0, slash);
    const subtype = slash < 0 ? '*' : range.slice(slash + 1);
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=').map((s) => s.trim());
      if (key === 'q' && value !== undefined) q = Number.parseFloat(value);
    }
    if (type !== '' && Number.isFinite(q) && q > 0) clauses.push({ type, subtype, q, order });
  }
  const specificity = (c: Clause): number => (c.type === '*' ? 0 : c.subtype === '*' ? 1 : 2);
  return clauses.sort((a, b) => b.q - a.q || specificity(b) - specificity(a) || a.order - b.order);
}

/**
 * The first of `offered` (full `type/subtype` strings, in server preference) that the best
 * Accept clause admits, as goautoneg-based kube-openapi handlers choose; an absent Accept
 * header means `*\/*`. Undefined when nothing is acceptable (406).
 */
export function negotiateMediaType(accept: string | undefined, offered: readonly string[]): string | undefined {
  for (const clause of parseClauses(accept === undefined || accept.trim() === '' ? '*/*' : accept)) {
    for (const candidate of offered) {
      const [type, subtype] = candidate.split('/');
      if ((clause.type === '*' || clause.type === type) && (clause.subtype === '*' || clause.subtype === subtype)) return candidate;
    }
  }
  return undefined;
}
