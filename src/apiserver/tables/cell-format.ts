import type { Container } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** labels.FormatLabels: `k=v` pairs sorted as strings, `<none>` when there are none. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  return pairs.length === 0 ? '<none>' : pairs.sort(byCodeUnit).join(',');
}

const OPERATORS: Readonly<Record<string, { readonly text: string; readonly values: 'some' | 'none' }>> = {
  In: { text: ' in ', values: 'some' },
  NotIn: { text: ' notin ', values: 'some' },
  Exists: { text: '', values: 'none' },
  DoesNotExist: { text: '', values: 'none' },
};

/**
 * metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key, `a=b,c in (d,e),!f`; '' for a nil or
 * empty selector; undefined where upstream's conversion fails (unknown operator, wrong number of values).
 */
export function labelSelectorString(selector: LabelSelector | undefined): string | undefined {
  if (selector === undefined || selector === null) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) reqs.push({ key, text: `${key}=${value}` });
  for (const expr of selector.matchExpressions ?? []) {
    const op = OPERATORS[expr.operator];
    const values = expr.values ?? [];
    if (op === undefined || (op.values === 'some') !== values.length > 0) return undefined;
    if (expr.operator === 'Exists') reqs.push({ key: expr.key, text: expr.key });
    else if (expr.operator === 'DoesNotExist') reqs.push({ key: expr.key, text: `!${expr.key}` });
    else reqs.push({ key: expr.key, text: `${expr.key}${op.text}(${[...values].sort(byCodeUnit).join(',')})` });
  }
  return reqs
    .sort((a, b) => byCodeUnit(a.key, b.key))
    .map((r) => r.text)
    .join(',');
}

/** metav1.FormatLabelSelector: the selector string, `<none>` when it selects by nothing, `<error>` when invalid. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  const s = labelSelectorString(selector);
  return s === undefined ? '<error>' : s === '' ? '<none>' : s;
}

/** layoutContainerCells: container names and images, each comma-joined. */
export function containerCells(containers: readonly Container[] | undefined): [names: string, images: string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image ?? '').join(',')];
}

/** printBoolPtr: `True` / `False`, `<unset>` for a nil pointer. */
export function boolPtrCell(value: boolean | undefined): string {
  return value === undefined || value === null ? '<unset>' : value ? 'True' : 'False';
}

/** An int32/int64 field as Go reads it: zero when absent. */
export function int(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** A string field as Go reads it: empty when absent. */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
