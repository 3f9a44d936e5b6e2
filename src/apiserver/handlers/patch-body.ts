import {
  ApiError,
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

export type PatchType = 'json' | 'merge' | 'strategic';

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
};

/** The patch type of a PATCH request's Content-Type; 415 for anything else (server-side apply comes later). */
export function patchType(contentType: string | undefined): PatchType {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const found = PATCH_TYPES[type];
  if (found === undefined) throw ApiError.unsupportedMediaType(Object.keys(PATCH_TYPES));
  return found;
}

/** Parses a patch document: JSON patches are arrays of operations, the other two are objects. */
export function parsePatch(body: Buffer, type: PatchType): unknown {
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
}

/** Reads and parses a PATCH request's body by its Content-Type. */
export async function readPatch(req: ServerRequest): Promise<ParsedPatch> {
  const type = patchType(req.headers['content-type']);
  return { type, document: parsePatch(await readBody(req), type) };
}

/**
 * Applies a patch to a copy of `target`. A patch that cannot be applied is the client's error: 422 when the
 * document is well formed but does not fit the object, 400 otherwise (never a 500).
 */
export function applyPatch(patch: ParsedPatch, target: unknown, meta: PatchMeta): unknown {
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
