import {
  ApiError,
  BodyDecodeError,
  decodeStrict,
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  findTypeError,
  findUnknownFields,
  typeErrorMessage,
  isPatchError,
  pruneUnknownFields,
  type PatchMeta,
  type StructuralSchema,
} from '../../api/index.js';
import type { ServerRequest } from '../http/http-types.js';
import { readBody } from '../http/read-body.js';
import type { KubeObject } from '../kube-object.js';
import type { FieldValidation } from './decode-body.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** The patch type of a PATCH request's Content-Type; 415 for anything else. */
export function patchType(contentType: string | undefined): PatchType {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const found = PATCH_TYPES[type];
  if (found === undefined) throw ApiError.unsupportedMediaType(Object.keys(PATCH_TYPES));
  return found;
}

/** Parses a patch document: JSON patches are arrays of operations, the others are objects. */
export function parsePatch(body: Buffer, type: PatchType): unknown {
  if (type === 'apply') return parseApplyConfiguration(body).value;
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw ApiError.badRequest(`error decoding patch: ${(err as Error).message}`);
  }
  if (type === 'json' ? !Array.isArray(value) : value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw ApiError.badRequest(
      type === 'json'
        ? 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'
        : 'error decoding patch: the patch is not a JSON object',
    );
  }
  return value;
}

/**
 * fieldValidation for a patched object: unknown fields fail (Strict), become warnings (Warn) or are dropped
 * silently (Ignore); in every case they are not stored.
 */
export function checkPatchedFields(obj: KubeObject, schema: StructuralSchema | undefined, validation: FieldValidation, kind: string, version: string): string[] {
  if (schema === undefined) return [];
  const typeError = findTypeError(obj, schema);
  if (typeError) throw ApiError.badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${typeErrorMessage(kind, typeError)}`);
  const unknown = validation === 'Ignore' ? [] : findUnknownFields(obj, schema);
  if (unknown.length > 0 && validation === 'Strict') {
    throw ApiError.badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
  }
  pruneUnknownFields(obj, schema);
  return unknown.map((f) => `unknown field "${f}"`);
}

export interface ParsedPatch {
  readonly type: PatchType;
  readonly document: unknown;
  /** Apply configurations: the keys given twice, as `fieldValidation` reports them. */
  readonly strictErrors?: readonly string[];
}

/**
 * An apply configuration: YAML (JSON being YAML too) holding one object; an empty body is an empty object,
 * as upstream's YAML decoding gives. Keys given twice are kept for `fieldValidation` (the last one wins).
 */
export function parseApplyConfiguration(body: Buffer): { value: Record<string, unknown>; strictErrors: string[] } {
  let decoded;
  try {
    decoded = decodeStrict(body, { format: 'yaml' });
  } catch (err) {
    if (err instanceof BodyDecodeError) throw ApiError.badRequest(`error decoding YAML: ${err.message}`);
    throw err;
  }
  const value = decoded.value ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : typeof value === 'boolean' ? 'bool' : 'number';
    throw ApiError.badRequest(`error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${what} into Go value of type map[string]interface {}`);
  }
  return { value: value as Record<string, unknown>, strictErrors: decoded.strictErrors };
}

/** Reads and parses a PATCH request's body by its Content-Type. */
export async function readPatch(req: ServerRequest): Promise<ParsedPatch> {
  const type = patchType(req.headers['content-type']);
  const body = await readBody(req);
  if (type !== 'apply') return { type, document: parsePatch(body, type) };
  const { value, strictErrors } = parseApplyConfiguration(body);
  return { type, document: value, strictErrors };
}

/**
 * Applies a patch to a copy of `target`. A patch that cannot be applied is the client's error: 422 when the
 * document is well formed but does not fit the object, 400 otherwise (never a 500).
 */
export function applyPatch(patch: ParsedPatch, target: unknown, meta: PatchMeta): unknown {
  if (patch.type === 'apply') throw new Error('unreachable: server-side apply is not a patch of the stored object');
  try {
    if (patch.type === 'json') return applyJsonPatch(target, patch.document);
    if (patch.type === 'merge') return applyMergePatch(target, patch.document);
    return applyStrategicMergePatch(target, patch.document, meta);
  } catch (err) {
    if (!isPatchError(err)) throw err;
    if (err.kind === 'RequestEntityTooLarge') throw err.toApiError();
    if (err.kind === 'Invalid') throw new ApiError({ code: 422, reason: 'Invalid', message: err.message, details: {} });
    throw ApiError.badRequest(err.message);
  }
}
