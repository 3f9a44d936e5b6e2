import {
  ApiError,
  BodyDecodeError,
  cannotBeHandledMessage,
  decodeKubernetesProtobuf,
  decodeStrict,
  findTypeError,
  typeErrorMessage,
  ProtobufDecodeError,
  pruneUnknownFields,
  strictDecodingError,
  strictWarnings,
  type StructuralSchema,
} from '../../api/index.js';
import type { KubeObject } from '../kube-object.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function parseFieldValidation(value: string | null): FieldValidation {
  if (value === null || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw ApiError.badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got: ${value}`);
}

const ACCEPTED = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/** The body format from Content-Type; anything we cannot read is 415. */
export function bodyFormat(contentType: string | undefined): 'json' | 'yaml' | 'protobuf' {
  const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type === '') return 'json';
  if (type === 'application/yaml') return 'yaml';
  if (type === 'application/vnd.kubernetes.protobuf') return 'protobuf';
  throw ApiError.unsupportedMediaType(ACCEPTED);
}

/**
 * A protobuf body (the `k8s\0` envelope kubectl 1.32+ sends) as the JSON object it stands for: 400 when it is
 * malformed, 415 for a kind whose messages we do not decode.
 */
export function decodeProtobufBody(body: Buffer, kind: string, version: string, validation: FieldValidation = 'Warn'): DecodedBody {
  let decoded;
  try {
    decoded = decodeKubernetesProtobuf(body);
  } catch (err) {
    if (!(err instanceof ProtobufDecodeError)) throw err;
    if (err.reason === 'unsupported') throw ApiError.unsupportedMediaType(['application/json', 'application/yaml']);
    throw ApiError.badRequest(cannotBeHandledMessage({ kind, version, cause: err.message }));
  }
  // Unknown field numbers are dropped by decoding; fieldValidation decides whether that fails or warns, as for JSON.
  const unknown = decoded.unknownFields.map((f) => `unknown field ${JSON.stringify(f)}`);
  if (unknown.length > 0 && validation === 'Strict') {
    throw ApiError.badRequest(cannotBeHandledMessage({ kind: decoded.kind, version, targetKind: kind, cause: `strict decoding error: ${unknown.join(', ')}` }));
  }
  return { object: { ...decoded.object, apiVersion: decoded.apiVersion, kind: decoded.kind }, warnings: validation === 'Warn' ? unknown : [] };
}

export interface DecodedBody {
  readonly object: KubeObject;
  /** `Warning` header texts for fieldValidation=Warn. */
  readonly warnings: string[];
}

/**
 * Decodes a create or update body as kube-apiserver does for `fieldValidation`: Strict fails with 400 on unknown or
 * duplicate fields, Warn accepts and reports them, Ignore drops unknown fields silently.
 */
export function decodeObjectBody(
  body: Buffer,
  options: { contentType: string | undefined; validation: FieldValidation; kind: string; version: string; schema: StructuralSchema | undefined },
): DecodedBody {
  const format = bodyFormat(options.contentType);
  if (body.length === 0) throw ApiError.badRequest('the body of the request is empty');
  if (format === 'protobuf') {
    return decodeProtobufBody(body, options.kind, options.version, options.validation);
  }
  let result;
  try {
    result = decodeStrict(body, { format, schema: options.validation === 'Ignore' ? undefined : options.schema });
  } catch (err) {
    if (err instanceof BodyDecodeError) {
      throw ApiError.badRequest(cannotBeHandledMessage({ kind: options.kind, version: options.version, cause: err.message }));
    }
    throw err;
  }
  const value = result.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw ApiError.badRequest(cannotBeHandledMessage({ kind: options.kind, version: options.version, cause: 'the body is not an object' }));
  }
  const object = value as KubeObject;
  if (options.schema !== undefined) {
    const typeError = findTypeError(object, options.schema);
    if (typeError) {
      throw ApiError.badRequest(cannotBeHandledMessage({ kind: options.kind, version: options.version, cause: typeErrorMessage(options.kind, typeError) }));
    }
    // Decoding against the schema found every unknown field already (none, nearly always); without it, look now.
    if (options.validation === 'Ignore' || result.unknownFields.length > 0) pruneUnknownFields(object, options.schema);
  }
  if (options.validation === 'Strict') {
    const strict = strictDecodingError(result);
    if (strict !== undefined) {
      throw ApiError.badRequest(cannotBeHandledMessage({ kind: object.kind ?? options.kind, version: options.version, targetKind: options.kind, cause: strict }));
    }
  }
  return { object, warnings: options.validation === 'Warn' ? strictWarnings(result) : [] };
}

/** The `Warning` header value for one warning text (code 299, agent "-"). */
export function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text)}`;
}
