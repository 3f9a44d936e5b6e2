/**
 * The shape structured-merge-diff sees in a kind's schema: which nodes are granular (their children
 * are tracked one by one) and which are leaves, and how list items are identified.
 */
export type FieldSchema =
  | ObjectFieldSchema
  | MapFieldSchema
  | ListFieldSchema
  | { readonly kind: 'scalar' }
  | { readonly kind: 'atomic' }
  | { readonly kind: 'untyped' };

/**
 * How a field looks in the Go zero value of its parent struct: non-pointer structs are always
 * printed (`{}`), fields without `omitempty` are printed as `null` or their zero scalar.
 */
export type GoZero = { readonly kind: 'struct' } | { readonly kind: 'value'; readonly value: null | string | number | boolean };

/** A struct: known fields, optionally extra keys of `elements`; `atomic` for `x-kubernetes-map-type: atomic`. */
export interface ObjectFieldSchema {
  readonly kind: 'object';
  readonly fields: Readonly<Record<string, FieldSchema>>;
  readonly elements?: FieldSchema;
  readonly atomic: boolean;
  readonly defaults?: Readonly<Record<string, unknown>>;
  readonly goZero?: Readonly<Record<string, GoZero>>;
}

/** A map of arbitrary keys to `elements` (OpenAPI additionalProperties). */
export interface MapFieldSchema {
  readonly kind: 'map';
  readonly elements: FieldSchema;
  readonly atomic: boolean;
}

/** `set` items are scalars named by value, `map` items are objects named by their `keys`. */
export interface ListFieldSchema {
  readonly kind: 'list';
  readonly listType: 'atomic' | 'set' | 'map';
  readonly keys: readonly string[];
  readonly elements: FieldSchema;
}

/** A deduced (`__untyped_deduced_`) node: maps are granular, lists and scalars are leaves. */
export const UNTYPED_FIELD_SCHEMA: FieldSchema = { kind: 'untyped' };
