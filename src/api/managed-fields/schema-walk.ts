import { UNTYPED_FIELD_SCHEMA, type FieldSchema, type ListFieldSchema } from './field-schema.js';
import { keyElement, type PathElement } from './path-element.js';

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
