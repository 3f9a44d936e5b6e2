/** A group-version-kind as OpenAPI's `x-kubernetes-group-version-kind` spells it. */
export interface GroupVersionKind {
  readonly group: string;
  readonly kind: string;
  readonly version: string;
}

/** The subset of an OpenAPI v3 schema object that Kubernetes definitions use. */
export interface OpenApiSchema {
  readonly $ref?: string;
  readonly allOf?: readonly OpenApiSchema[];
  readonly oneOf?: readonly OpenApiSchema[];
  readonly type?: string;
  readonly format?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, OpenApiSchema>>;
  readonly required?: readonly string[];
  readonly items?: OpenApiSchema;
  readonly additionalProperties?: OpenApiSchema | boolean;
  readonly 'x-kubernetes-group-version-kind'?: readonly GroupVersionKind[];
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly [extension: `x-${string}`]: unknown;
}

/** Component schemas keyed by upstream definition name, e.g. `io.k8s.api.core.v1.Pod`. */
export type Definitions = Readonly<Record<string, OpenApiSchema>>;

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

/** `#/components/schemas/<name>` for a definition name. */
export function schemaRef(name: string): { readonly $ref: string } {
  return { $ref: `${SCHEMA_REF_PREFIX}${name}` };
}

/** The definition a schema points at, directly or through a one-element allOf; undefined if inline. */
export function referencedName(schema: OpenApiSchema): string | undefined {
  const ref = schema.$ref ?? (schema.allOf?.length === 1 ? schema.allOf[0]?.$ref : undefined);
  return ref?.startsWith(SCHEMA_REF_PREFIX) ? ref.slice(SCHEMA_REF_PREFIX.length) : undefined;
}
