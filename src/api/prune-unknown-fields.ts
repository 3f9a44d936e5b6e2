import { acceptsShape, hasUnknownField, lookupField, UNKNOWN_FIELD, type StructuralSchema } from './structural-schema.js';

/**
 * Removes, in place, every field the schema does not know, as decoding into a built-in Go type does: what
 * `fieldValidation=Warn` or `Ignore` accepts is dropped, never stored.
 */
export function pruneUnknownFields(value: unknown, schema: StructuralSchema): void {
  // Nearly every object has none: an allocation-free walk says so first.
  if (hasUnknownField(value, schema)) prune(value, schema);
}

function prune(value: unknown, schema: StructuralSchema): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    if (schema.items !== undefined && acceptsShape(schema, 'array')) for (const item of value) prune(item, schema.items);
    return;
  }
  if (!acceptsShape(schema, 'object')) return;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const field = lookupField(schema, key);
    if (field === UNKNOWN_FIELD) delete record[key];
    else if (field !== undefined) prune(record[key], field);
  }
}
