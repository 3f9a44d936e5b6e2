import { FieldSet } from './field-set.js';
import { comparePathElements, parsePathElement, serializePathElement, type PathElement } from './path-element.js';

/** A `fieldsV1` value: nested objects keyed by serialized path elements, `{}` at the leaves. */
export type FieldsV1 = { [key: string]: FieldsV1 };

/** The FieldsV1 JSON upstream writes for a set, entries in its path element order. */
export function fieldsV1(set: FieldSet): FieldsV1 {
  return emit(set, false);
}

function emit(set: FieldSet, includeSelf: boolean): FieldsV1 {
  const out: FieldsV1 = {};
  if (includeSelf && !set.empty()) out['.'] = {};
  for (const { name, member, set: child } of set.namedEntries()) {
    out[name] = child === undefined ? {} : emit(child, member);
  }
  return out;
}

/** Reads FieldsV1 as upstream does: `{}` and `.` mark members, unknown element types are dropped. */
export function fromFieldsV1(fields: unknown): FieldSet {
  return decodeFieldsV1(fields).set;
}

/**
 * fromFieldsV1, and whether `fields` is exactly what fieldsV1 writes for the set (same keys, same
 * order, nothing dropped), so that it can stand for the set as long as the set is unchanged.
 */
export function decodeFieldsV1(fields: unknown): { set: FieldSet; canonical: boolean } {
  const set = new FieldSet();
  const state = { canonical: true };
  read(fields, set, state, true);
  return { set, canonical: state.canonical };
}

function isEmptyObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}

/** The paths `fields` describes, added to `set`; whether it also marks its own path. */
function read(fields: unknown, set: FieldSet, state: { canonical: boolean }, root: boolean): boolean {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new Error('fieldsV1 must be an object');
  let self = false;
  let any = false;
  let previous: PathElement | undefined;
  let position = 0;
  for (const [key, value] of Object.entries(fields)) {
    position++;
    if (key === '.') {
      self = true;
      // fieldsV1 writes `.` as a granular member's first key, as `{}`, and never at the root.
      if (root || position !== 1 || !isEmptyObject(value)) state.canonical = false;
      continue;
    }
    const element = parsePathElement(key);
    if (element === undefined) {
      state.canonical = false;
      continue;
    }
    const name = key.charCodeAt(0) === 0x66 ? key : serializePathElement(element); // `f:` keys always serialize as read
    if (state.canonical) {
      if (name !== key || (previous !== undefined && comparePathElements(previous, element) >= 0)) state.canonical = false;
      previous = element;
    }
    any = true;
    if (read(value, set.child(name, element), state, false)) set.addMember(name, element);
    set.pruneChild(name);
  }
  if (self && !any) state.canonical = false;
  return self || !any;
}
