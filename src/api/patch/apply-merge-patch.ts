/**
 * RFC 7396 JSON merge patch as kube-apiserver applies `application/merge-patch+json`, with
 * evanphx/json-patch v4's MergePatch: null deletes a key, objects merge recursively, anything
 * else (arrays included) replaces. Values it inserts lose their null members, except that an
 * object replaced by a non-object takes the patch value exactly as sent.
 */
import { cloneJson, isJsonMap, type JsonMap } from './go-value.js';
import { PatchError } from './patch-error.js';

/** pruneNulls: drops null members of objects, at any depth; null array elements stay. */
function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (const item of value) if (item !== null) pruneNulls(item);
  } else if (isJsonMap(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (item === null) delete value[key];
      else pruneNulls(item);
    }
  }
  return value;
}

/**
 * `doc` with `patch` merged in, copied only along the paths the patch touches: members it leaves alone are shared with
 * `doc`, which is never changed. Values taken from the patch are copies (a patch may be applied again on a retry).
 */
function mergeObjects(doc: JsonMap, patch: JsonMap): JsonMap {
  const out: JsonMap = { ...doc };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete out[key];
      continue;
    }
    const current = Object.hasOwn(out, key) ? out[key] : null;
    if (isJsonMap(current) && isJsonMap(value)) out[key] = mergeObjects(current, value);
    else if (isJsonMap(current)) out[key] = cloneJson(value);
    else out[key] = pruneNulls(cloneJson(value));
  }
  return out;
}

/**
 * Applies a merge patch (decoded JSON) to `doc` (a decoded object), leaving both unchanged: the result shares the
 * members the patch does not touch with `doc`, so a caller that changes the result must own `doc`. Throws a
 * BadRequest PatchError `Invalid JSON Patch` when the patch is null or a scalar; an array
 * patch becomes the result as it is (less nulls in its objects), as upstream returns it.
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isJsonMap(doc)) throw PatchError.unknown('Invalid JSON Document');
  if (Array.isArray(patch)) return pruneNulls(cloneJson(patch));
  if (!isJsonMap(patch)) throw PatchError.badRequest('Invalid JSON Patch');
  return mergeObjects(doc, patch);
}
