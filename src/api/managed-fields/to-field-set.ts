import type { FieldSchema, ListFieldSchema } from './field-schema.js';
import { FieldSet, type FieldSetPath } from './field-set.js';
import { serializePathElement, type PathElement } from './path-element.js';
import { asMap, childSchema, isGranular, isKnownField, listItemElement } from './schema-walk.js';

/**
 * The fields a value sets, as upstream's TypedValue.ToFieldSet lists them: every scalar and
 * atomic leaf, every associative list item (`.`), map entries that are not struct fields, and
 * null or empty maps. A struct field holding a non-empty struct or list contributes only its
 * children, so it has no `.` entry.
 */
export function toFieldSet(value: unknown, schema: FieldSchema): FieldSet {
  const set = new FieldSet();
  walk(value, schema, [], set);
  return set;
}

function walk(value: unknown, schema: FieldSchema, path: FieldSetPath, set: FieldSet): void {
  if (!isGranular(schema, value)) {
    set.insert(path);
    return;
  }
  if (schema.kind === 'list') {
    if (Array.isArray(value)) walkList(value, schema, path, set);
    return;
  }
  const map = asMap(value);
  if (map === undefined) return;
  for (const [key, child] of Object.entries(map)) {
    const childPath = [...path, { field: key }];
    walk(child, childSchema(schema, key), childPath, set);
    const emptyMap = asMap(child) !== undefined && Object.keys(child as object).length === 0;
    if (child === null || emptyMap || !isKnownField(schema, key)) set.insert(childPath);
  }
}

function walkList(items: readonly unknown[], schema: ListFieldSchema, path: FieldSetPath, set: FieldSet): void {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  const elements: (PathElement | undefined)[] = items.map((item) => listItemElement(schema, item));
  for (const element of elements) {
    if (element === undefined) continue;
    const name = serializePathElement(element);
    if (!seen.has(name)) seen.add(name);
    else if (!duplicates.has(name)) {
      duplicates.add(name);
      set.insert([...path, element]);
    }
  }
  items.forEach((item, i) => {
    const element = elements[i];
    if (element === undefined || duplicates.has(serializePathElement(element))) return;
    const itemPath = [...path, element];
    walk(item, schema.elements, itemPath, set);
    set.insert(itemPath);
  });
}
