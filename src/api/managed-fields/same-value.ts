import { isDeepStrictEqual } from 'node:util';

/**
 * isDeepStrictEqual for JSON-shaped values (plain objects, arrays, primitives), without its generic
 * machinery; any other object goes to isDeepStrictEqual itself.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return a !== 0 || Object.is(a, b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b);
  const proto = Object.getPrototypeOf(a) as unknown;
  if (proto !== Object.getPrototypeOf(b)) return false;
  if (proto === Array.prototype && Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (!(i in a) || !(i in b)) return isDeepStrictEqual(a, b);
      if (!sameValue(a[i], b[i])) return false;
    }
    return true;
  }
  if (proto !== Object.prototype) return isDeepStrictEqual(a, b);
  const x = a as Readonly<Record<string, unknown>>;
  const y = b as Readonly<Record<string, unknown>>;
  let count = 0;
  for (const key in x) {
    if (!Object.hasOwn(x, key)) continue;
    if (!Object.hasOwn(y, key) || !sameValue(x[key], y[key])) return false;
    count++;
  }
  for (const key in y) if (Object.hasOwn(y, key)) count--;
  return count === 0;
}
