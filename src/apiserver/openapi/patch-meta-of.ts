import { ANY_PATCH_META, type PatchMeta, type PatchStrategy } from '../../api/index.js';
import { GvkIndex } from './gvk-index.js';
import { referencedName, schemaRef, type Definitions, type OpenApiSchema } from './openapi-schema.js';

const EMPTY: OpenApiSchema = {};

function stringExtension(schema: OpenApiSchema, name: `x-${string}`): string | undefined {
  const value = schema[name];
  return typeof value === 'string' ? value : undefined;
}

/** Upstream's definition names end with the Go type name: `io.k8s.api.core.v1.PodSpec` → `PodSpec`. */
const goTypeName = (definition: string): string => definition.slice(definition.lastIndexOf('.') + 1);

/**
 * Strategic merge patch metadata read from OpenAPI definitions, as upstream's
 * PatchMetaFromOpenAPIV3 reads it: a property's own schema carries the field's
 * `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key`, and a `$ref` (or one-element
 * `allOf`) leads to the value's type. Nodes are made on demand, so recursive types are fine.
 */
class SchemaPatchMeta implements PatchMeta {
  readonly #definitions: Definitions;
  readonly #declared: OpenApiSchema;
  #resolved: { schema: OpenApiSchema; name: string } | undefined;

  constructor(definitions: Definitions, declared: OpenApiSchema) {
    this.#definitions = definitions;
    this.#declared = declared;
  }

  #type(): { schema: OpenApiSchema; name: string } {
    if (this.#resolved !== undefined) return this.#resolved;
    let schema = this.#declared;
    let name = '';
    const seen = new Set<string>();
    for (let ref = referencedName(schema); ref !== undefined && !seen.has(ref); ref = referencedName(schema)) {
      seen.add(ref);
      name = ref;
      schema = this.#definitions[ref] ?? EMPTY;
    }
    this.#resolved = { schema, name };
    return this.#resolved;
  }

  #node(schema: OpenApiSchema): PatchMeta {
    return new SchemaPatchMeta(this.#definitions, schema);
  }

  field(name: string): PatchMeta | undefined {
    const { schema } = this.#type();
    const property = schema.properties !== undefined && Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
    if (property !== undefined) return this.#node(property);
    const additional = schema.additionalProperties;
    if (typeof additional === 'object') return this.#node(additional);
    const freeForm =
      additional === true || schema['x-kubernetes-preserve-unknown-fields'] === true || schema.properties === undefined;
    return freeForm ? ANY_PATCH_META : undefined;
  }

  items(): PatchMeta | undefined {
    const { schema } = this.#type();
    if (schema.items !== undefined) return this.#node(schema.items);
    return schema.type === 'array' || schema.type === undefined ? ANY_PATCH_META : undefined;
  }

  strategy(): PatchStrategy {
    const declared = this.#declared;
    return {
      patchStrategy: stringExtension(declared, 'x-kubernetes-patch-strategy'),
      patchMergeKey: stringExtension(declared, 'x-kubernetes-patch-merge-key'),
      listType: stringExtension(declared, 'x-kubernetes-list-type'),
    };
  }

  typeName(): string {
    return goTypeName(this.#type().name);
  }
}

const indexes = new WeakMap<Definitions, GvkIndex>();

/**
 * The strategic merge patch metadata of a kind, from the component schemas the server serves
 * (the generated definitions), or undefined when no definition carries that group-version-kind.
 */
export function patchMetaFor(definitions: Definitions, group: string, version: string, kind: string): PatchMeta | undefined {
  let index = indexes.get(definitions);
  if (index === undefined) {
    index = new GvkIndex(definitions);
    indexes.set(definitions, index);
  }
  const name = index.nameOf(group, version, kind);
  return name === undefined ? undefined : new SchemaPatchMeta(definitions, schemaRef(name));
}
