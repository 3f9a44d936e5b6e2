import type { FieldSchema, ListFieldSchema } from './field-schema.js';
import { asMap, childSchema, namedListItem, type JsonMap, type NamedElement } from './schema-walk.js';

/** Marks a side that has no value at all (as opposed to an explicit null). */
const ABSENT: unique symbol = Symbol('absent');
type Side = unknown;

/**
 * Merges an applied configuration (`rhs`) into the live object (`lhs`) as structured-merge-diff's
 * TypedValue.Merge does: scalars and atomic nodes are replaced, granular maps are merged key by key,
 * associative lists item by item (the configuration's order for shared items, live-only items kept in
 * place). An explicit null in the configuration replaces a scalar but leaves a non-empty map or list
 * as it is. The configuration must have passed validateConfiguration (no duplicate or unnamed items).
 */
export function mergeValues(lhs: unknown, rhs: unknown, schema: FieldSchema): unknown {
  const out = merge(lhs, rhs, schema);
  return out === ABSENT ? null : out;
}

function merge(lhs: Side, rhs: Side, schema: FieldSchema): Side {
  if (rhs === ABSENT) return lhs;
  switch (schema.kind) {
    case 'object':
    case 'map':
      return mergeMaps(lhs, rhs, schema);
    case 'list':
      return mergeLists(lhs, rhs, schema);
    case 'untyped':
      return asMap(rhs) !== undefined && (lhs === ABSENT || asMap(lhs) !== undefined) ? mergeMaps(lhs, rhs, schema) : rhs;
    default:
      return rhs;
  }
}

function isEmptyMap(map: JsonMap | undefined): boolean {
  if (map === undefined) return true;
  for (const key in map) if (Object.hasOwn(map, key)) return false;
  return true;
}

function mergeMaps(lhs: Side, rhs: Side, schema: FieldSchema): Side {
  const l = lhs === ABSENT ? undefined : asMap(lhs);
  const r = asMap(rhs);
  if (rhs !== null && r === undefined) return rhs;
  const atomic = (schema.kind === 'object' || schema.kind === 'map') && schema.atomic;
  // Empty or null on both sides is a leaf, which keeps the empty/null distinction.
  if (atomic || (isEmptyMap(l) && isEmptyMap(r))) return rhs;
  const out: Record<string, unknown> = {};
  if (l !== undefined) {
    for (const key in l) {
      if (!Object.hasOwn(l, key)) continue;
      const merged = merge(l[key], r !== undefined && Object.hasOwn(r, key) ? r[key] : ABSENT, childSchema(schema, key));
      if (merged !== ABSENT) out[key] = merged;
    }
  }
  if (r !== undefined) {
    for (const key in r) {
      if (!Object.hasOwn(r, key) || (l !== undefined && Object.hasOwn(l, key))) continue;
      const merged = merge(ABSENT, r[key], childSchema(schema, key));
      if (merged !== ABSENT) out[key] = merged;
    }
  }
  return out;
}

interface Indexed {
  readonly names: NamedElement[];
  /** Each item by name; null stands for an item the list holds more than once. */
  readonly byName: Map<string, unknown>;
}

function index(items: readonly unknown[], schema: ListFieldSchema): Indexed {
  const names: NamedElement[] = [];
  const byName = new Map<string, unknown>();
  for (const item of items) {
    const named = namedListItem(schema, item);
    if (named === undefined) continue;
    byName.set(named.name, byName.has(named.name) ? null : item);
    names.push(named);
  }
  return { names, byName };
}

/**
 * The list merge of structured-merge-diff: walks both lists at once so that items only the live list
 * has stay where they were and items both have follow the configuration's order.
 */
function mergeLists(lhs: Side, rhs: Side, schema: ListFieldSchema): Side {
  const l = Array.isArray(lhs) ? lhs : [];
  const r = Array.isArray(rhs) ? rhs : undefined;
  if (rhs !== null && r === undefined) return rhs;
  if (schema.listType === 'atomic' || (l.length === 0 && (r === undefined || r.length === 0))) return rhs;
  const right = index(r ?? [], schema);
  const left = index(l, schema);
  const shared = right.names.filter(({ name }) => left.byName.has(name));
  let sharedAt = 0;
  let nextShared = shared[sharedAt++]?.name;
  const mergedRight = new Set<string>();
  const out: unknown[] = [];
  const push = (value: Side) => {
    if (value !== ABSENT) out.push(value);
  };
  let li = 0;
  let ri = 0;
  while (li < left.names.length || ri < right.names.length) {
    const ln = left.names[li];
    const rn = right.names[ri];
    if (ln !== undefined && rn !== undefined) {
      if (ln.name === rn.name) {
        mergedRight.add(ln.name);
        push(merge(left.byName.get(ln.name), right.byName.get(rn.name), schema.elements));
        li++;
        ri++;
        nextShared = shared[sharedAt++]?.name;
        continue;
      }
      if (right.byName.has(ln.name) && nextShared !== undefined && nextShared !== ln.name) {
        li++;
        continue;
      }
    }
    if (ln !== undefined) {
      if (!right.byName.has(ln.name)) {
        push(merge(l[indexOf(left, li, l, schema)], ABSENT, schema.elements));
        li++;
        continue;
      } else if (mergedRight.has(ln.name)) {
        li++;
      }
    }
    if (rn !== undefined) {
      mergedRight.add(rn.name);
      const live = left.byName.has(rn.name) ? left.byName.get(rn.name) : ABSENT;
      push(merge(live, right.byName.get(rn.name), schema.elements));
      ri++;
      if (nextShared === rn.name) nextShared = shared[sharedAt++]?.name;
    }
  }
  return out;
}

/** The position in `items` of the `at`-th named item (items that cannot be named are skipped by index). */
function indexOf(indexed: Indexed, at: number, items: readonly unknown[], schema: ListFieldSchema): number {
  if (indexed.names.length === items.length) return at;
  let seen = -1;
  for (let i = 0; i < items.length; i++) {
    if (namedListItem(schema, items[i]) !== undefined) seen++;
    if (seen === at) return i;
  }
  return items.length;
}
