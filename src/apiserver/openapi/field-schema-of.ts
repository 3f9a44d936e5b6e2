import type { FieldSchema, GoZero, ListFieldSchema } from '../../api/index.js';
import { GvkIndex } from './gvk-index.js';
import { referencedName, type Definitions, type OpenApiSchema } from './openapi-schema.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Definitions upstream's schema conversion hard-codes as untyped scalars. */
const LEAF_DEFINITIONS: ReadonlySet<string> = new Set([
  'io.k8s.apimachinery.pkg.api.resource.Quantity',
  'io.k8s.apimachinery.pkg.runtime.RawExtension',
]);

/**
 * Struct fields that are non-pointer Go structs (printed as `{}` in a zero value) by their usual
 * names; the generated definitions do not say which fields are pointers.
 */
const STRUCT_FIELD_NAMES: ReadonlySet<string> = new Set(['metadata', 'spec', 'status', 'template', 'jobTemplate', 'strategy', 'updateStrategy', 'resources']);
const POINTER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'io.k8s.api.core.v1.ReplicationControllerSpec': ['template'],
  'io.k8s.api.core.v1.PodSpec': ['resources'],
};

/**
 * Defaults upstream's OpenAPI declares for associative list keys and the generated definitions lack:
 * an applied port without a protocol is the TCP item of its list.
 */
const KEY_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'io.k8s.api.core.v1.ContainerPort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.ServicePort': { protocol: 'TCP' },
};

const SCALAR_ZERO: Readonly<Record<string, string | number | boolean>> = { string: '', integer: 0, number: 0, boolean: false };

function extension(schema: OpenApiSchema, name: `x-${string}`): unknown {
  return schema[name];
}

/**
 * Converts definitions to the field schemas managedFields are computed with, following upstream's
 * OpenAPI-to-structured-merge-diff conversion: `x-kubernetes-map-type` (also at a `$ref`),
 * `x-kubernetes-list-type`/`-list-map-keys`, else a `merge` patch strategy makes a list associative
 * (keyed by the patch merge key, or a set), else lists are atomic. Recursive definitions come out
 * as cyclic graphs.
 */
class FieldSchemas {
  readonly #definitions: Definitions;
  readonly #converted = new Map<string, FieldSchema>();

  constructor(definitions: Definitions) {
    this.#definitions = definitions;
  }

  of(name: string): FieldSchema | undefined {
    const done = this.#converted.get(name);
    if (done !== undefined) return done;
    const schema = this.#definitions[name];
    if (schema === undefined) return undefined;
    if (LEAF_DEFINITIONS.has(name)) return this.#remember(name, { kind: 'atomic' });
    const target = {} as Mutable<FieldSchema>;
    this.#converted.set(name, target as FieldSchema);
    return Object.assign(target, this.#convert(schema, name));
  }

  #remember(name: string, schema: FieldSchema): FieldSchema {
    this.#converted.set(name, schema);
    return schema;
  }

  #resolve(schema: OpenApiSchema): { schema: OpenApiSchema; name?: string } {
    const ref = referencedName(schema);
    if (ref === undefined) return { schema };
    return { schema: this.#definitions[ref] ?? {}, name: ref };
  }

  #reference(schema: OpenApiSchema): FieldSchema {
    const ref = referencedName(schema);
    if (ref === undefined) return this.#convert(schema, undefined);
    const target = this.of(ref) ?? { kind: 'untyped' };
    const mapType = extension(schema, 'x-kubernetes-map-type');
    if ((target.kind === 'object' || target.kind === 'map') && (mapType === 'atomic' || mapType === 'granular')) {
      return { ...target, atomic: mapType === 'atomic' };
    }
    return target;
  }

  #convert(schema: OpenApiSchema, name: string | undefined): FieldSchema {
    if (referencedName(schema) !== undefined) return this.#reference(schema);
    if (schema['x-kubernetes-int-or-string'] === true || schema.oneOf !== undefined) return { kind: 'scalar' };
    switch (schema.type) {
      case 'array':
        return this.#list(schema);
      case 'object':
        return this.#object(schema, name);
      case undefined:
        if (schema.items !== undefined) return this.#list(schema);
        if (schema.properties !== undefined || schema.additionalProperties !== undefined) return this.#object(schema, name);
        return schema.format === undefined ? { kind: 'untyped' } : { kind: 'scalar' };
      default:
        return { kind: 'scalar' };
    }
  }

  #list(schema: OpenApiSchema): ListFieldSchema {
    const elements: FieldSchema = schema.items === undefined ? { kind: 'atomic' } : this.#reference(schema.items);
    const listType = extension(schema, 'x-kubernetes-list-type');
    const keys = extension(schema, 'x-kubernetes-list-map-keys');
    if (listType === 'map') return { kind: 'list', listType, keys: Array.isArray(keys) ? keys.map(String) : [], elements };
    if (listType === 'set') return { kind: 'list', listType, keys: [], elements };
    if (listType === undefined) {
      const strategy = extension(schema, 'x-kubernetes-patch-strategy');
      if (strategy === 'merge' || strategy === 'merge,retainKeys') {
        const key = extension(schema, 'x-kubernetes-patch-merge-key');
        if (typeof key === 'string') return { kind: 'list', listType: 'map', keys: [key], elements };
        return { kind: 'list', listType: 'set', keys: [], elements };
      }
    }
    return { kind: 'list', listType: 'atomic', keys: [], elements };
  }

  #object(schema: OpenApiSchema, name: string | undefined): FieldSchema {
    const atomic = extension(schema, 'x-kubernetes-map-type') === 'atomic';
    const additional = schema.additionalProperties;
    const properties = schema.properties ?? {};
    const freeForm = schema['x-kubernetes-preserve-unknown-fields'] === true || Object.keys(properties).length === 0;
    const elements: FieldSchema | undefined =
      typeof additional === 'object' ? this.#reference(additional) : additional === true || (additional === undefined && freeForm) ? { kind: 'untyped' } : undefined;
    if (schema.properties === undefined && elements !== undefined) return { kind: 'map', elements, atomic };
    const fields: Record<string, FieldSchema> = {};
    const defaults: Record<string, unknown> = {};
    const goZero: Record<string, GoZero> = {};
    const required = new Set(schema.required ?? []);
    const pointers = new Set(name === undefined ? [] : (POINTER_FIELDS[name] ?? []));
    Object.assign(defaults, name === undefined ? {} : KEY_DEFAULTS[name]);
    for (const [field, property] of Object.entries(properties)) {
      fields[field] = this.#reference(property);
      if (property.default !== undefined) defaults[field] = property.default;
      const resolved = this.#resolve(property).schema;
      const isStruct = resolved.type === 'object' && resolved.properties !== undefined && Object.keys(resolved.properties).length > 0;
      if (isStruct && STRUCT_FIELD_NAMES.has(field) && !pointers.has(field)) goZero[field] = { kind: 'struct' };
      else if (required.has(field)) goZero[field] = { kind: 'value', value: SCALAR_ZERO[resolved.type ?? ''] ?? null };
    }
    return { kind: 'object', fields, ...(elements === undefined ? {} : { elements }), atomic, defaults, goZero };
  }
}

const converters = new WeakMap<Definitions, { index: GvkIndex; schemas: FieldSchemas }>();

/** The managedFields schema of a kind, or undefined when no definition carries that group-version-kind. */
export function fieldSchemaFor(definitions: Definitions, group: string, version: string, kind: string): FieldSchema | undefined {
  let converter = converters.get(definitions);
  if (converter === undefined) {
    converter = { index: new GvkIndex(definitions), schemas: new FieldSchemas(definitions) };
    converters.set(definitions, converter);
  }
  const name = converter.index.nameOf(group, version, kind);
  return name === undefined ? undefined : converter.schemas.of(name);
}
