import type { FieldSchema, ListFieldSchema } from './field-schema.js';
import { FieldSet } from './field-set.js';
import type { PathElement } from './path-element.js';
import { sameValue } from './same-value.js';
import { asMap, childSchema, isGranular, namedListItem, type JsonMap, type NamedElement } from './schema-walk.js';

/** The fields one value adds, changes and removes relative to another (upstream's typed Comparison). */
export interface Comparison {
  readonly added: FieldSet;
  readonly modified: FieldSet;
  readonly removed: FieldSet;
}

/** Marks a field missing on one side (as opposed to present with value null). */
const ABSENT: unique symbol = Symbol('absent');
type Side = unknown;

const ADDED = 0;
const MODIFIED = 1;
const REMOVED = 2;
type Outcome = typeof ADDED | typeof MODIFIED | typeof REMOVED;

/** A granular node being compared; its sets in each outcome are created when a path below lands there. */
interface Cursor {
  readonly parent: Cursor | undefined;
  readonly name: string;
  readonly element: PathElement;
  readonly sets: [FieldSet | undefined, FieldSet | undefined, FieldSet | undefined];
}

function setAt(cursor: Cursor, outcome: Outcome): FieldSet {
  let set = cursor.sets[outcome];
  if (set === undefined) {
    if (cursor.parent === undefined) throw new Error('unreachable: root cursor without sets');
    set = setAt(cursor.parent, outcome).child(cursor.name, cursor.element);
    cursor.sets[outcome] = set;
  }
  return set;
}

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
  compareInto(lhs, rhs, schema, [comparison.added, comparison.modified, comparison.removed]);
  return comparison;
}

/** compareValues into given sets (added, modified, removed; the same set may take two outcomes). */
export function compareInto(lhs: unknown, rhs: unknown, schema: FieldSchema, sets: [FieldSet, FieldSet, FieldSet]): void {
  // Paths at the root itself are empty, which a set does not hold: only what lies below counts.
  if (sameValue(lhs, rhs) || !isGranular(schema, lhs) || !isGranular(schema, rhs) || (isEmpty(lhs) && isEmpty(rhs))) return;
  descend(lhs, rhs, schema, { parent: undefined, name: '', element: { field: '' }, sets: [...sets] });
}

function compare(lhs: Side, rhs: Side, schema: FieldSchema, parent: Cursor, name: string, element: PathElement): void {
  if (lhs === ABSENT ? rhs === null : rhs === ABSENT ? lhs === null : sameValue(lhs, rhs)) return;
  // From here on the two sides differ.
  const present = lhs === ABSENT ? rhs : lhs;
  const granular =
    isGranular(schema, present) &&
    (lhs === ABSENT || rhs === ABSENT || (isGranular(schema, lhs) && isGranular(schema, rhs))) &&
    !(isEmpty(lhs) && isEmpty(rhs));
  if (!granular) {
    setAt(parent, lhs === ABSENT ? ADDED : rhs === ABSENT ? REMOVED : MODIFIED).addMember(name, element);
    return;
  }
  descend(lhs, rhs, schema, { parent, name, element, sets: [undefined, undefined, undefined] });
  if (lhs === ABSENT) setAt(parent, ADDED).addMember(name, element);
  else if (rhs === ABSENT) setAt(parent, REMOVED).addMember(name, element);
}

function descend(lhs: Side, rhs: Side, schema: FieldSchema, here: Cursor): void {
  if (schema.kind === 'list') compareLists(items(lhs), items(rhs), schema, here);
  else compareMaps(asMap(lhs) ?? EMPTY, asMap(rhs) ?? EMPTY, schema, here);
}

const EMPTY: JsonMap = Object.freeze({});

function isEmpty(value: Side): boolean {
  if (value === ABSENT || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  const map = asMap(value);
  if (map === undefined) return false;
  for (const key in map) if (Object.hasOwn(map, key)) return false;
  return true;
}

function items(value: Side): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function compareMaps(lhs: JsonMap, rhs: JsonMap, schema: FieldSchema, here: Cursor): void {
  for (const key in lhs) {
    if (!Object.hasOwn(lhs, key)) continue;
    const l = lhs[key];
    const r = Object.hasOwn(rhs, key) ? rhs[key] : ABSENT;
    if (r !== ABSENT && sameValue(l, r)) continue;
    compare(l, r, childSchema(schema, key), here, `f:${key}`, { field: key });
  }
  for (const key in rhs) {
    if (Object.hasOwn(rhs, key) && !Object.hasOwn(lhs, key)) compare(ABSENT, rhs[key], childSchema(schema, key), here, `f:${key}`, { field: key });
  }
}

function group(list: readonly unknown[], schema: ListFieldSchema, order: Map<string, NamedElement>): Map<string, unknown[]> {
  const groups = new Map<string, unknown[]>();
  for (const item of list) {
    const named = namedListItem(schema, item);
    if (named === undefined) continue;
    if (!order.has(named.name)) order.set(named.name, named);
    const members = groups.get(named.name);
    if (members === undefined) groups.set(named.name, [item]);
    else members.push(item);
  }
  return groups;
}

const NONE: readonly unknown[] = [];

function compareLists(lhs: readonly unknown[], rhs: readonly unknown[], schema: ListFieldSchema, here: Cursor): void {
  const order = new Map<string, NamedElement>();
  const left = group(lhs, schema, order);
  const right = group(rhs, schema, order);
  for (const { name, element } of order.values()) {
    const l = left.get(name) ?? NONE;
    const r = right.get(name) ?? NONE;
    if (l.length <= 1 && r.length <= 1) {
      compare(l.length === 0 ? ABSENT : l[0], r.length === 0 ? ABSENT : r[0], schema.elements, here, name, element);
    } else if (l.length >= 2 && r.length >= 2) {
      if (!sameValue(l, r)) setAt(here, MODIFIED).addMember(name, element);
    } else if (l.length >= 2) {
      if (r.length !== 0) compare(ABSENT, r[0], schema.elements, here, name, element);
      setAt(here, REMOVED).addMember(name, element);
    } else {
      if (l.length !== 0) compare(l[0], ABSENT, schema.elements, here, name, element);
      setAt(here, ADDED).addMember(name, element);
    }
  }
}
