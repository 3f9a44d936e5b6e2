/**
 * The little of an OpenAPI structural schema that strict decoding needs: which fields an object
 * knows. Semantics follow Kubernetes' pruning: an object schema knows its `properties`; other
 * keys are unknown unless `additionalProperties` (a map) or `preserveUnknownFields` allows them.
 * A schema with neither a type nor properties accepts anything.
 */
export interface StructuralSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  /** For integers: the Go type's width (a value outside it fails to decode, as in Go). */
  format?: 'int32' | 'int64';
  properties?: Record<string, StructuralSchema>;
  items?: StructuralSchema;
  additionalProperties?: StructuralSchema | boolean;
  /** x-kubernetes-preserve-unknown-fields. */
  preserveUnknownFields?: boolean;
}

/** Returned by lookupField for a key the schema does not know. */
export const UNKNOWN_FIELD: unique symbol = Symbol('unknown field');

/** An object schema's fields as a lookup table, built once per schema object. */
export interface FieldTable {
  readonly known: ReadonlyMap<string, StructuralSchema>;
  /** What any other key is: a schema, undefined for "anything goes", or UNKNOWN_FIELD. */
  readonly other: StructuralSchema | undefined | typeof UNKNOWN_FIELD;
}

const tables = new WeakMap<StructuralSchema, FieldTable>();

export function fieldTable(schema: StructuralSchema): FieldTable {
  let table = tables.get(schema);
  if (table !== undefined) return table;
  const { properties, additionalProperties } = schema;
  let other: FieldTable['other'];
  if (typeof additionalProperties === 'object') other = additionalProperties;
  else if (additionalProperties === true || schema.preserveUnknownFields === true) other = undefined;
  else if (schema.type === 'object' || properties !== undefined || additionalProperties === false) other = UNKNOWN_FIELD;
  table = { known: new Map(Object.entries(properties ?? {})), other };
  tables.set(schema, table);
  return table;
}

/**
 * The schema of `key` inside an object with `schema`: a schema, undefined for "anything goes",
 * or UNKNOWN_FIELD.
 */
export function lookupField(
  schema: StructuralSchema,
  key: string,
): StructuralSchema | undefined | typeof UNKNOWN_FIELD {
  const table = fieldTable(schema);
  return table.known.get(key) ?? table.other;
}

/** Whether a value of that JSON shape fits the schema's type (untyped schemas take anything). */
export function acceptsShape(schema: StructuralSchema, shape: 'object' | 'array'): boolean {
  if (schema.type !== undefined) return schema.type === shape;
  if (shape === 'array') return schema.properties === undefined && schema.additionalProperties === undefined;
  return schema.items === undefined;
}

type WalkTask =
  | { readonly report: string }
  | { readonly value: unknown; readonly schema: StructuralSchema; readonly path: string };

/**
 * Unknown fields of decoded data, depth first with each object's keys in Go's sorted order: the
 * order kube-apiserver reports them for YAML bodies, which it turns into sorted JSON first.
 */
export function findUnknownFields(value: unknown, schema: StructuralSchema, limit = 100): string[] {
  // Nearly every object has none: a walk that sorts nothing and builds no paths says so first.
  if (!hasUnknownField(value, schema)) return [];
  const found: string[] = [];
  const stack: WalkTask[] = [{ value, schema, path: '' }];
  while (stack.length > 0 && found.length < limit) {
    const task = stack.pop();
    if (task === undefined) break;
    if ('report' in task) {
      if (!found.includes(task.report)) found.push(task.report);
      continue;
    }
    const { value: current, schema: currentSchema, path } = task;
    if (typeof current !== 'object' || current === null) continue;
    const tasks: WalkTask[] = [];
    if (Array.isArray(current)) {
      const items = currentSchema.items;
      if (!acceptsShape(currentSchema, 'array') || items === undefined) continue;
      current.forEach((item: unknown, i) => tasks.push({ value: item, schema: items, path: `${path}[${i}]` }));
    } else {
      if (!acceptsShape(currentSchema, 'object')) continue;
      const record = current as Record<string, unknown>;
      for (const key of Object.keys(record).sort()) {
        const childPath = path === '' ? key : `${path}.${key}`;
        const field = lookupField(currentSchema, key);
        if (field === UNKNOWN_FIELD) tasks.push({ report: childPath });
        else if (field !== undefined) tasks.push({ value: record[key], schema: field, path: childPath });
      }
    }
    for (let i = tasks.length - 1; i >= 0; i--) {
      const next = tasks[i];
      if (next !== undefined) stack.push(next);
    }
  }
  return found;
}

/**
 * Whether findUnknownFields would report anything (the same walk, in no order, without paths or allocations). Past
 * a nesting depth it answers true, "maybe", for the iterative walk to settle: deep data must not overflow the stack.
 */
export function hasUnknownField(value: unknown, schema: StructuralSchema, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth > MAX_QUICK_DEPTH) return true;
  if (Array.isArray(value)) {
    const items = schema.items;
    if (!acceptsShape(schema, 'array') || items === undefined) return false;
    for (let i = 0; i < value.length; i++) if (hasUnknownField(value[i], items, depth + 1)) return true;
    return false;
  }
  if (!acceptsShape(schema, 'object')) return false;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const field = lookupField(schema, key);
    if (field === UNKNOWN_FIELD) return true;
    if (field !== undefined && hasUnknownField(record[key], field, depth + 1)) return true;
  }
  return false;
}

/** How deep the quick walks recurse before leaving the answer to a walk that cannot overflow the stack. */
export const MAX_QUICK_DEPTH = 200;
