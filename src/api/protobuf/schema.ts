// Message schemas as data: field number → [JSON name, type, flag?]. Field names and
// numbers follow upstream generated.proto; JSON names and flags follow the Go struct tags.

export type ScalarType = 'string' | 'int32' | 'int64' | 'bool' | 'bytes' | 'double';

export type FieldType =
  | ScalarType
  | { readonly message: string }
  | { readonly list: FieldType }
  | { readonly map: FieldType };

/**
 * 'keep': a scalar whose zero value is still emitted in JSON (a Go pointer, or a field
 * without omitempty). Other scalars equal to their zero value are dropped, because Go's
 * protobuf marshaller always writes non-pointer scalars while JSON omits them.
 * 'inline': an embedded Go struct whose fields JSON flattens into the parent.
 */
export type FieldFlag = 'keep' | 'inline';

export type FieldSpec = readonly [name: string, type: FieldType, flag?: FieldFlag];

export type MessageSchema = Readonly<Record<number, FieldSpec>>;

export type MessageTable = Readonly<Record<string, MessageSchema>>;

export function msg(message: string): FieldType {
  return { message };
}

export function listOf(of: FieldType): FieldType {
  return { list: of };
}

export function mapOf(of: FieldType): FieldType {
  return { map: of };
}
