import type { FieldSchema } from './field-schema.js';
import type { FieldSet } from './field-set.js';
import { asMap, childSchema, namedListItem } from './schema-walk.js';

/**
 * The value without the paths of `set`, as structured-merge-diff's TypedValue.RemoveItems: a member
 * removes the field or item with everything below it, a child set descends. A granular map or list
 * left with nothing, or one that is atomic while paths lead into it, becomes null.
 */
export function removeItems(value: unknown, set: FieldSet, schema: FieldSchema): unknown {
  switch (schema.kind) {
    case 'object':
    case 'map':
      return removeFromMap(value, set, schema, schema.atomic);
    case 'untyped':
      return asMap(value) === undefined ? value : removeFromMap(value, set, schema, false);
    case 'list': {
      if (!Array.isArray(value) || value.length === 0 || schema.listType === 'atomic') return null;
      const out: unknown[] = [];
      for (const item of value) {
        const named = namedListItem(schema, item);
        if (named === undefined) {
          out.push(item);
          continue;
        }
        if (set.hasMember(named.name)) continue;
        const below = set.childNamed(named.name);
        out.push(below === undefined ? item : removeItems(item, below, schema.elements));
      }
      return out.length > 0 ? out : null;
    }
    default:
      return value;
  }
}

function removeFromMap(value: unknown, set: FieldSet, schema: FieldSchema, atomic: boolean): unknown {
  const map = asMap(value);
  if (map === undefined || atomic) return null;
  const out: Record<string, unknown> = {};
  let kept = false;
  for (const key in map) {
    if (!Object.hasOwn(map, key)) continue;
    const name = `f:${key}`;
    if (set.hasMember(name)) continue;
    const below = set.childNamed(name);
    out[key] = below === undefined ? map[key] : removeItems(map[key], below, childSchema(schema, key));
    kept = true;
  }
  return kept ? out : null;
}
