import { FieldSet } from './field-set.js';
import { parsePathElement, serializePathElement } from './path-element.js';

/** A `fieldsV1` value: nested objects keyed by serialized path elements, `{}` at the leaves. */
export type FieldsV1 = { [key: string]: FieldsV1 };

/** The FieldsV1 JSON upstream writes for a set, entries in its path element order. */
export function fieldsV1(set: FieldSet): FieldsV1 {
  return emit(set, false);
}

function emit(set: FieldSet, includeSelf: boolean): FieldsV1 {
  const out: FieldsV1 = {};
  if (includeSelf && !set.empty()) out['.'] = {};
  for (const { element, member, set: child } of set.entries()) {
    out[serializePathElement(element)] = child === undefined ? {} : emit(child, member);
  }
  return out;
}

/** Reads FieldsV1 as upstream does: `{}` and `.` mark members, unknown element types are dropped. */
export function fromFieldsV1(fields: unknown): FieldSet {
  return read(fields).set;
}

/** The set one FieldsV1 object describes, and whether it also marks its own path. */
function read(fields: unknown): { set: FieldSet; member: boolean } {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new Error('fieldsV1 must be an object');
  const set = new FieldSet();
  let self = false;
  for (const [key, value] of Object.entries(fields)) {
    if (key === '.') {
      self = true;
      continue;
    }
    const element = parsePathElement(key);
    if (element === undefined) continue;
    const child = read(value);
    if (child.member) set.insert([element]);
    if (!child.set.empty()) mergeInto(set.descend(element), child.set);
  }
  return { set, member: self || set.empty() };
}

function mergeInto(target: FieldSet, source: FieldSet): void {
  for (const { element, member, set } of source.entries()) {
    if (member) target.insert([element]);
    if (set !== undefined) mergeInto(target.descend(element), set);
  }
}
