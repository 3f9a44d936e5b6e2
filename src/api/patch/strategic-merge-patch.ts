/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) as kube-apiserver applies
 * it: apimachinery's StrategicMergeMapPatch with MergeParallelList and IgnoreUnmatchedNulls.
 * Maps merge recursively and null deletes; lists merge or are replaced per the field's patch
 * strategy (see strategic-merge-list.ts); the directives `$patch`, `$retainKeys`,
 * `$setElementOrder/<field>` and `$deleteFromPrimitiveList/<field>` are honoured and removed.
 */
import { cloneJson, goTypeName, isJsonMap, type JsonMap } from './go-value.js';
import { PatchError } from './patch-error.js';
import type { PatchMeta } from './patch-meta.js';
import {
  badPatchFormatForRetainKeys,
  badPatchType,
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
  DIRECTIVE_MARKER,
  RETAIN_KEYS_DIRECTIVE,
  SET_ELEMENT_ORDER_PREFIX,
} from './strategic-errors.js';
import { applySetElementOrder } from './strategic-element-order.js';
import { directiveField, discardNulls, lookupField, lookupListField, mergeStrategyOf, removeDirectives } from './strategic-fields.js';
import { mergeListField } from './strategic-merge-list.js';

/** `$retainKeys`: clears the original's fields not listed, after checking the patch's are. */
function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const retain = patch[RETAIN_KEYS_DIRECTIVE];
  delete patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(retain)) throw badPatchFormatForRetainKeys();
  const kept = new Set(retain.filter((v): v is string => typeof v === 'string'));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    if (!kept.has(key)) throw badPatchFormatForRetainKeys();
  }
  for (const key of Object.keys(original)) if (!kept.has(key)) delete original[key];
}

/** Sets a value taken whole from the patch: nulls and `$patch` maps inside it are dropped. */
function takePatchValue(original: JsonMap, key: string, value: unknown): void {
  discardNulls(value);
  const cleaned = removeDirectives(value);
  if (cleaned.keep) original[key] = cleaned.value;
  else delete original[key];
}

function mergeField(original: JsonMap, key: string, value: unknown, meta: PatchMeta, isDeleteList: boolean): void {
  const current = original[key];
  if (isJsonMap(current) && isJsonMap(value)) {
    const field = lookupField(meta, key);
    original[key] = mergeStrategyOf(field) === 'replace' ? value : mergeMap(current, value, field);
  } else if (Array.isArray(current) && Array.isArray(value)) {
    const list = lookupListField(meta, key);
    original[key] = mergeListField(current, value, { ...list, isDeleteList, mergeMap }).merged;
  } else {
    original[key] = removeDirectives(value).value;
  }
}

/** Merges `patch` into `original` (both mutated), returning the merged map. */
function mergeMap(original: JsonMap, patch: JsonMap, meta: PatchMeta): JsonMap {
  if (Object.hasOwn(patch, DIRECTIVE_MARKER)) {
    const directive = patch[DIRECTIVE_MARKER];
    if (directive === 'replace') {
      delete patch[DIRECTIVE_MARKER];
      return patch;
    }
    if (directive === 'delete') return {};
    throw badPatchType(directive, patch);
  }
  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, meta, mergeMap);

  for (const [patchKey, value] of Object.entries(patch)) {
    const isDeleteList = patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX);
    const key = isDeleteList ? directiveField(patchKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX) : patchKey;
    if (value === null) {
      delete original[key];
      continue;
    }
    const present = Object.hasOwn(original, key);
    if (!present || goTypeName(original[key]) !== goTypeName(value)) {
      if (!isDeleteList) takePatchValue(original, key, value);
      continue;
    }
    mergeField(original, key, value, meta, isDeleteList);
  }
  return original;
}

function goJsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

/**
 * Applies a strategic merge patch (decoded JSON) to a copy of `original` (a decoded object),
 * with `meta` describing the object's type, and returns the result. Throws PatchError, of kind
 * BadRequest for a patch that is not an object and for malformed directive keys, Invalid for
 * lists of lists, Unknown for the rest (missing merge keys, unknown `$patch` values, …).
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, meta: PatchMeta): unknown {
  if (patch !== null && !isJsonMap(patch)) {
    throw PatchError.badRequest(`json: cannot unmarshal ${goJsonKind(patch)} into Go value of type map[string]interface {}`);
  }
  if (!isJsonMap(original)) throw PatchError.badRequest('invalid JSON document');
  return mergeMap(cloneJson(original), cloneJson(patch ?? {}), meta);
}
