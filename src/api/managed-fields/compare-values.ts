import { isDeepStrictEqual } from 'node:util';
import type { FieldSchema, ListFieldSchema } from './field-schema.js';
import { FieldSet, type FieldSetPath } from './field-set.js';
import { serializePathElement, type PathElement } from './path-element.js';
import { asMap, childSchema, isGranular, listItemElement } from './schema-walk.js';

/** The fields one value adds, changes and removes relative to another (upstream's typed Comparison). */
export interface Comparison {
  readonly added: FieldSet;
  readonly modified: FieldSet;
  readonly removed: FieldSet;
}

/** Marks a field missing on one side (as opposed to present with value null). */
const ABSENT: unique symbol = Symbol('absent');
type Side = unknown;

/**
 * Compares as upstream's TypedValue.Compare: an atomic or scalar node that differs is one path; a
 * granular node present on one side only is also a path of its own (this is where `.` comes from);
 * maps and lists empty on both sides are leaves.
 *
 * Deviation: a field that is null on one side and missing on the other is taken as unchanged, since
 * upstream compares Go structs where a field is either always printed or omitted when empty.
 */
export function compareValues(lhs: unknown, rhs: unknown, schema: FieldSchema): Comparison {
  const comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  compare(lhs, rhs, schema, [], comparison);
  return comparison;
}

function compare(lhs: Side, rhs: Side, schema: FieldSchema, path: FieldSetPath, out: Comparison): void {
  if ((lhs === ABSENT && rhs === null) || (lhs === null && rhs === ABSENT)) return;
  const present = lhs === ABSENT ? rhs : lhs;
  const granular =
    isGranular(schema, present) &&
    (lhs === ABSENT || rhs === ABSENT || (isGranular(schema, lhs) && isGranular(schema, rhs))) &&
    !(isEmpty(lhs) && isEmpty(rhs));
  if (!granular) {
    if (lhs === ABSENT) out.added.insert(path);
    else if (rhs === ABSENT) out.removed.insert(path);
    else if (!isDeepStrictEqual(lhs, rhs)) out.modified.insert(path);
    return;
  }
  if (schema.kind === 'list') compareLists(items(lhs), items(rhs), schema, path, out);
  else compareMaps(asMap(lhs) ?? {}, asMap(rhs) ?? {}, schema, path, out);
  if (lhs === ABSENT) out.added.insert(path);
  else if (rhs === ABSENT) out.removed.insert(path);
}

function isEmpty(value: Side): boolean {
  if (value === ABSENT || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  const map = asMap(value);
  return map !== undefined && Object.keys(map).length === 0;
}

function items(value: Side): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function compareMaps(lhs: Readonly<Record<string, unknown>>, rhs: Readonly<Record<string, unknown>>, schema: FieldSchema, path: FieldSetPath, out: Comparison): void {
  const keys = new Set([...Object.keys(lhs), ...Object.keys(rhs)]);
  for (const key of keys) {
    const l = Object.hasOwn(lhs, key) ? lhs[key] : ABSENT;
    const r = Object.hasOwn(rhs, key) ? rhs[key] : ABSENT;
    compare(l, r, childSchema(schema, key), [...path, { field: key }], out);
  }
}

function group(list: readonly unknown[], schema: ListFieldSchema, order: Map<string, PathElement>): Map<string, unknown[]> {
  const groups = new Map<string, unknown[]>();
  for (const item of list) {
    const element = listItemElement(schema, item);
    if (element === undefined) continue;
    const name = serializePathElement(element);
    if (!order.has(name)) order.set(name, element);
    const members = groups.get(name);
    if (members === undefined) groups.set(name, [item]);
    else members.push(item);
  }
  return groups;
}

function compareLists(lhs: readonly unknown[], rhs: readonly unknown[], schema: ListFieldSchema, path: FieldSetPath, out: Comparison): void {
  const order = new Map<string, PathElement>();
  const left = group(lhs, schema, order);
  const right = group(rhs, schema, order);
  for (const [name, element] of order) {
    const l = left.get(name) ?? [];
    const r = right.get(name) ?? [];
    const itemPath = [...path, element];
    if (l.length <= 1 && r.length <= 1) {
      compare(l.length === 0 ? ABSENT : l[0], r.length === 0 ? ABSENT : r[0], schema.elements, itemPath, out);
    } else if (l.length >= 2 && r.length >= 2) {
      if (!isDeepStrictEqual(l, r)) out.modified.insert(itemPath);
    } else if (l.length >= 2) {
      if (r.length !== 0) compare(ABSENT, r[0], schema.elements, itemPath, out);
      out.removed.insert(itemPath);
    } else {
      if (l.length !== 0) compare(l[0], ABSENT, schema.elements, itemPath, out);
      out.added.insert(itemPath);
    }
  }
}
