import { acceptsShape, lookupField, MAX_QUICK_DEPTH, UNKNOWN_FIELD, type StructuralSchema } from './structural-schema.js';

/** A value whose JSON type does not fit the schema (what Go's decoder refuses before anything else runs). */
export interface FieldTypeError {
  readonly path: string;
  /** The JSON type found: string, number, bool, object, array. */
  readonly found: string;
  /** The Go-like type expected: string, int64, float64, bool, object, array. */
  readonly expected: string;
}

const jsonType = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'boolean' ? 'bool' : typeof v);

function fits(value: unknown, type: NonNullable<StructuralSchema['type']>): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
  }
}

function inRange(value: number, format: StructuralSchema['format']): boolean {
  if (format === 'int32') return value >= -2147483648 && value <= 2147483647;
  return Math.abs(value) <= Number.MAX_SAFE_INTEGER || Number.isSafeInteger(value) || Math.abs(value) < 2 ** 63;
}

const EXPECTED: Record<NonNullable<StructuralSchema['type']>, string> = {
  object: 'object',
  array: 'array',
  string: 'string',
  integer: 'int64',
  number: 'float64',
  boolean: 'bool',
};

/** The first value (depth first) whose type the schema does not allow; null always fits, as in Go. */
export function findTypeError(value: unknown, schema: StructuralSchema, path = ''): FieldTypeError | undefined {
  // Nearly every object fits: a walk that builds no paths says so first.
  return hasTypeError(value, schema) ? locateTypeError(value, schema, path) : undefined;
}

/** Whether locateTypeError would find something (the same walk, without paths or allocations); deep down, "maybe". */
function hasTypeError(value: unknown, schema: StructuralSchema, depth = 0): boolean {
  if (value === null || value === undefined) return false;
  if (depth > MAX_QUICK_DEPTH) return true;
  if (schema.type !== undefined && !fits(value, schema.type)) return true;
  if (schema.type === 'integer' && typeof value === 'number' && !inRange(value, schema.format)) return true;
  if (Array.isArray(value)) {
    if (schema.items === undefined || !acceptsShape(schema, 'array')) return false;
    for (let i = 0; i < value.length; i++) if (hasTypeError(value[i], schema.items, depth + 1)) return true;
    return false;
  }
  if (typeof value !== 'object' || !acceptsShape(schema, 'object')) return false;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const field = lookupField(schema, key);
    if (field !== UNKNOWN_FIELD && field !== undefined && hasTypeError(record[key], field, depth + 1)) return true;
  }
  return false;
}

function locateTypeError(value: unknown, schema: StructuralSchema, path: string): FieldTypeError | undefined {
  if (value === null || value === undefined) return undefined;
  if (schema.type !== undefined && !fits(value, schema.type)) {
    const found = typeof value === 'number' && schema.type === 'integer' ? 'number' : jsonType(value);
    return { path, found, expected: EXPECTED[schema.type] };
  }
  if (schema.type === 'integer' && typeof value === 'number' && !inRange(value, schema.format)) {
    return { path, found: `number ${value}`, expected: schema.format ?? 'int64' };
  }
  if (Array.isArray(value)) {
    if (schema.items === undefined || !acceptsShape(schema, 'array')) return undefined;
    for (let i = 0; i < value.length; i++) {
      const err = locateTypeError(value[i], schema.items, `${path}[${i}]`);
      if (err) return err;
    }
    return undefined;
  }
  if (typeof value !== 'object' || !acceptsShape(schema, 'object')) return undefined;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const field = lookupField(schema, key);
    if (field === UNKNOWN_FIELD || field === undefined) continue;
    const err = locateTypeError(child, field, path === '' ? key : `${path}.${key}`);
    if (err) return err;
  }
  return undefined;
}

/** Go's wording: `json: cannot unmarshal string into Go struct field Pod.spec.containers of type array`. */
export function typeErrorMessage(kind: string, err: FieldTypeError): string {
  const field = err.path.replace(/\[\d+\]/g, '');
  return field === ''
    ? `json: cannot unmarshal ${err.found} into Go value of type ${err.expected}`
    : `json: cannot unmarshal ${err.found} into Go struct field ${kind}.${field} of type ${err.expected}`;
}
