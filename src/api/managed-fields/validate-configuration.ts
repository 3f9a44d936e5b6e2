import type { FieldSchema, ListFieldSchema } from './field-schema.js';
import { asMap, childSchema, namedListItem } from './schema-walk.js';
import { pathElementString } from './path-string.js';

/**
 * What structured-merge-diff refuses in an applied configuration before merging it: fields the
 * schema does not declare, associative list items without their key fields, and items given twice.
 * Each problem is `<path>: <what>`, as upstream's ValidationError prints.
 */
export function validateConfiguration(value: unknown, schema: FieldSchema): string[] {
  const problems: string[] = [];
  walk(value, schema, '', problems);
  return problems;
}

function walk(value: unknown, schema: FieldSchema, path: string, problems: string[]): void {
  if (value === null || value === undefined) return;
  switch (schema.kind) {
    case 'object':
    case 'map':
    case 'untyped': {
      const map = asMap(value);
      if (map === undefined) return;
      for (const key of Object.keys(map)) {
        const here = `${path}.${key}`;
        if (schema.kind === 'object' && !Object.hasOwn(schema.fields, key) && schema.elements === undefined) {
          problems.push(`${here}: field not declared in schema`);
          continue;
        }
        walk(map[key], childSchema(schema, key), here, problems);
      }
      return;
    }
    case 'list':
      if (Array.isArray(value)) walkList(value, schema, path, problems);
      return;
    default:
      return;
  }
}

function walkList(items: readonly unknown[], schema: ListFieldSchema, path: string, problems: string[]): void {
  if (schema.listType === 'atomic') {
    items.forEach((item, i) => walk(item, schema.elements, `${path}[${i}]`, problems));
    return;
  }
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const named = namedListItem(schema, item);
    if (named === undefined) {
      problems.push(`${path}: element ${i}: ${unnamedReason(schema, item)}`);
      return;
    }
    const label = pathElementString(named.element);
    if (seen.has(named.name)) {
      problems.push(`${path}: duplicate entries for key ${label}`);
      return;
    }
    seen.add(named.name);
    walk(item, schema.elements, `${path}${label}`, problems);
  });
}

function unnamedReason(schema: ListFieldSchema, item: unknown): string {
  if (schema.keys.length === 0) return 'associative list without keys has an element that is a map type';
  if (asMap(item) === undefined) return 'associative list with keys has an element that is not a map type';
  const missing = schema.keys.find((key) => !Object.hasOwn(item as object, key)) ?? schema.keys[0] ?? '';
  return `associative list with keys has an element that omits key field ${JSON.stringify(missing)} (and doesn't have default value)`;
}
