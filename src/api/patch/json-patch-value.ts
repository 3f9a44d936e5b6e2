/**
 * How evanphx/json-patch v4 compares values for `test` and measures `copy`. It compares
 * encoded bytes; the server encodes the object and kubectl the patch with Go's encoder, so
 * values equal as decoded JSON compare equal (`1` and `1.0` do too here, unlike raw bytes).
 */
import { isJsonMap } from './go-value.js';
import { PatchError } from './patch-error.js';

/** Equality of a document value and a patch value, neither null (null is handled by the caller). */
export function jsonPatchEqual(doc: unknown, value: unknown): boolean {
  if (Array.isArray(doc)) {
    if (!Array.isArray(value) || value.length !== doc.length) return false;
    return doc.every((item, i) => {
      const other = value[i];
      if (item === null || other === null || other === undefined) throw PatchError.panic();
      return jsonPatchEqual(item, other);
    });
  }
  if (isJsonMap(doc)) {
    if (!isJsonMap(value)) return false;
    const keys = Object.keys(doc);
    if (keys.length !== Object.keys(value).length) return false;
    return keys.every((key) => {
      if (!Object.hasOwn(value, key)) return false;
      const a = doc[key];
      const b = value[key];
      if (a === null || b === null) return a === b;
      return jsonPatchEqual(a, b);
    });
  }
  return doc === value;
}

const UTF8 = new TextEncoder();
const HTML_ESCAPED = /[<>&\u2028\u2029]/g;

/** Bytes of Go's json.Marshal of a value (HTML characters escaped), which bounds `copy`. */
export function goJsonSize(value: unknown): number {
  const text = JSON.stringify(value) ?? 'null';
  let extra = 0;
  for (const match of text.matchAll(HTML_ESCAPED)) extra += match[0].length === 1 && match[0] < '\u0080' ? 5 : 3;
  return UTF8.encode(text).length + extra;
}
