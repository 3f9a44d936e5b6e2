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

function mergeValue(current: unknown, patch: unknown): unknown {
  if (!isJsonMap(current)) return pruneNulls(patch);
  if (!isJsonMap(patch)) return patch;
  mergeObjects(current, patch);
  return current;
}

function mergeObjects(doc: JsonMap, patch: JsonMap): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete doc[key];
      continue;
    }
    const current = Object.hasOwn(doc, key) ? doc[key] : null;
    doc[key] = current === null ? pruneNulls(value) : mergeValue(current, value);
  }
}

/**
 * Applies a merge patch (decoded JSON) to a copy of `doc` (a decoded object). Throws a
 * BadRequest PatchError `Invalid JSON Patch` when the patch is null or a scalar; an array
 * patch becomes the result as it is (less nulls in its objects), as upstream returns it.
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isJsonMap(doc)) throw PatchError.unknown('Invalid JSON Document');
  if (Array.isArray(patch)) return pruneNulls(cloneJson(patch));
  if (!isJsonMap(patch)) throw PatchError.badRequest('Invalid JSON Patch');
  const result = cloneJson(doc);
  mergeObjects(result, cloneJson(patch));
  return result;
}
