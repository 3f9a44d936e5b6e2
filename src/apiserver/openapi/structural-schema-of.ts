import type { StructuralSchema } from '../../api/index.js';
import { referencedName, type Definitions, type OpenApiSchema } from './openapi-schema.js';

type SchemaType = NonNullable<StructuralSchema['type']>;
const TYPES: ReadonlySet<string> = new Set<SchemaType>(['object', 'array', 'string', 'integer', 'number', 'boolean']);

/**
 * Converts definitions to the pruned structural schemas strict decoding walks, resolving
 * references. Each definition converts once and is shared, so recursive definitions (such as
 * JSONSchemaProps) come out as cyclic object graphs: walk them, do not serialise them.
 */
export class StructuralSchemas {
  readonly #definitions: Definitions;
  readonly #converted = new Map<string, StructuralSchema>();

  constructor(definitions: Definitions) {
    this.#definitions = definitions;
  }

  /** The structural schema of a definition, or undefined when there is no such definition. */
  of(name: string): StructuralSchema | undefined {
    const done = this.#converted.get(name);
    if (done !== undefined) return done;
    const schema = this.#definitions[name];
    if (schema === undefined) return undefined;
    const target: StructuralSchema = {};
    this.#converted.set(name, target);
    return Object.assign(target, this.#convert(schema));
  }

  #convert(schema: OpenApiSchema): StructuralSchema {
    const ref = referencedName(schema);
    if (ref !== undefined) return this.of(ref) ?? {};
    const type = schema.type !== undefined && TYPES.has(schema.type) ? (schema.type as SchemaType) : undefined;
    const out: StructuralSchema = type !== undefined ? { type } : {};
    if (type === 'integer' && (schema.format === 'int32' || schema.format === 'int64')) out.format = schema.format;
    if (schema['x-kubernetes-preserve-unknown-fields'] === true) out.preserveUnknownFields = true;
    if (schema.properties !== undefined) {
      const properties: Record<string, StructuralSchema> = {};
      for (const [key, value] of Object.entries(schema.properties)) properties[key] = this.#convert(value);
      out.properties = properties;
    }
    if (schema.items !== undefined) out.items = this.#convert(schema.items);
    const additional = schema.additionalProperties;
    if (additional !== undefined) out.additionalProperties = typeof additional === 'boolean' ? additional : this.#convert(additional);
    if (type === 'object' && out.properties === undefined && out.additionalProperties === undefined) {
      out.preserveUnknownFields = true;
    }
    return out;
  }
}
