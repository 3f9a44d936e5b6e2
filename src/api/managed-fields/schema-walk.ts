import { UNTYPED_FIELD_SCHEMA, type FieldSchema, type ListFieldSchema } from './field-schema.js';
import { compareStrings, goJson, keyElement, serializePathElement, type PathElement } from './path-element.js';

export type JsonMap = Readonly<Record<string, unknown>>;

export function asMap(value: unknown): JsonMap | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonMap) : undefined;
}

/** Whether a node is walked child by child (true) or is a leaf as a whole, given its value. */
export function isGranular(schema: FieldSchema, value: unknown): boolean {
  switch (schema.kind) {
    case 'object':
    case 'map':
      return !schema.atomic && (value === null || asMap(value) !== undefined);
    case 'list':
      return schema.listType !== 'atomic' && (value === null || Array.isArray(value));
    case 'untyped':
      return asMap(value) !== undefined;
    default:
      return false;
  }
}

/** The schema of a map entry: a known field, else the map's elements, else deduced from the value. */
export function childSchema(schema: FieldSchema, key: string): FieldSchema {
  if (schema.kind === 'object') {
    return (Object.hasOwn(schema.fields, key) ? schema.fields[key] : undefined) ?? schema.elements ?? UNTYPED_FIELD_SCHEMA;
  }
  if (schema.kind === 'map') return schema.elements;
  return UNTYPED_FIELD_SCHEMA;
}

export function isKnownField(schema: FieldSchema, key: string): boolean {
  return schema.kind === 'object' && Object.hasOwn(schema.fields, key);
}

/** How an associative list names an item: `k:` by its key fields (or their schema defaults), `v:` by value. */
export function listItemElement(list: ListFieldSchema, item: unknown): PathElement | undefined {
  if (list.keys.length === 0) {
    return item === null || typeof item === 'object' ? undefined : { value: item };
  }
  const map = asMap(item);
  if (map === undefined) return undefined;
  const defaults = list.elements.kind === 'object' ? list.elements.defaults : undefined;
  const fields: [string, unknown][] = [];
  for (const name of list.keys) {
    const value = Object.hasOwn(map, name) ? map[name] : defaults?.[name];
    if (value !== undefined) fields.push([name, value]);
  }
  return fields.length === 0 ? undefined : keyElement(fields);
}

/** A path element with its serialized name. */
export interface NamedElement {
  readonly name: string;
  readonly element: PathElement;
}

interface ListKeys {
  /** Key field names in upstream's order, with their Go JSON. */
  readonly names: readonly (readonly [string, string])[];
  readonly defaults: JsonMap | undefined;
}

const listKeys = new WeakMap<ListFieldSchema, ListKeys>();

function keysOf(list: ListFieldSchema): ListKeys {
  let keys = listKeys.get(list);
  if (keys === undefined) {
    const names = [...list.keys].sort(compareStrings).map((name) => [name, goJson(name)] as const);
    keys = { names, defaults: list.elements.kind === 'object' ? list.elements.defaults : undefined };
    listKeys.set(list, keys);
  }
  return keys;
}

/** listItemElement with the element's serialized name, built without re-sorting the key fields. */
export function namedListItem(list: ListFieldSchema, item: unknown): NamedElement | undefined {
  if (list.keys.length === 0) {
    if (item === null || typeof item === 'object') return undefined;
    const element = { value: item };
    return { name: serializePathElement(element), element };
  }
  const map = asMap(item);
  if (map === undefined) return undefined;
  const { names, defaults } = keysOf(list);
  const fields: [string, unknown][] = [];
  let name = 'k:{';
  for (const [field, quoted] of names) {
    const value = Object.hasOwn(map, field) ? map[field] : defaults?.[field];
    if (value === undefined) continue;
    name += `${fields.length === 0 ? '' : ','}${quoted}:${goJson(value)}`;
    fields.push([field, value]);
  }
  return fields.length === 0 ? undefined : { name: `${name}}`, element: { key: fields } };
}
