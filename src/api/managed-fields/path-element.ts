/** One step of a field path, as structured-merge-diff names it in FieldsV1 keys. */
export type PathElement =
  | { readonly field: string }
  | { readonly key: readonly (readonly [string, unknown])[] }
  | { readonly value: unknown }
  | { readonly index: number };

const GO_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** JSON as Go's encoding/json writes an unstructured value: sorted map keys, HTML-safe escapes. */
export function goJson(value: unknown): string {
  const json = typeof value === 'object' && value !== null ? JSON.stringify(sortKeys(value)) : JSON.stringify(value);
  // JSON.stringify gives undefined for undefined (typed string): replace then throws, as it always did.
  return json !== undefined && !HTML_UNSAFE.test(json) ? json : json.replace(HTML_UNSAFE_ALL, (c) => GO_ESCAPES[c] ?? c);
}

const HTML_UNSAFE = /[<>&\u2028\u2029]/;
const HTML_UNSAFE_ALL = /[<>&\u2028\u2029]/g;

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

/** `f:<name>`, `k:<key fields JSON>`, `v:<value JSON>` or `i:<index>`. */
export function serializePathElement(pe: PathElement): string {
  if ('field' in pe) return `f:${pe.field}`;
  if ('key' in pe) return `k:{${pe.key.map(([name, value]) => `${goJson(name)}:${goJson(value)}`).join(',')}}`;
  if ('value' in pe) return `v:${goJson(pe.value)}`;
  return `i:${pe.index}`;
}

/** Parses a FieldsV1 key; undefined for element types a later version may add (upstream skips them). */
export function parsePathElement(text: string): PathElement | undefined {
  if (text.length < 2 || text[1] !== ':') throw new Error(`invalid path element ${JSON.stringify(text)}`);
  const body = text.slice(2);
  switch (text[0]) {
    case 'f':
      return { field: body };
    case 'v':
      return { value: JSON.parse(body) as unknown };
    case 'k': {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`invalid key ${body}`);
      return keyElement(Object.entries(parsed));
    }
    case 'i': {
      if (!/^-?\d+$/.test(body)) throw new Error(`invalid index ${body}`);
      return { index: Number(body) };
    }
    default:
      return undefined;
  }
}

/** A key element with its fields in name order, as upstream sorts them. */
export function keyElement(fields: readonly (readonly [string, unknown])[]): PathElement {
  return { key: [...fields].sort(([a], [b]) => compareStrings(a, b)) };
}

/**
 * Byte order of the UTF-8 encodings. UTF-16 code unit order agrees with it unless the first
 * difference puts a surrogate against a unit above it, which goes the slow way.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  }
  return a.length < b.length ? -1 : 1;
}

function rank(pe: PathElement): number {
  if ('field' in pe) return 0;
  if ('key' in pe) return 1;
  if ('value' in pe) return 2;
  return 3;
}

/** Upstream's PathElement order: field names, then keys, then values, then indexes. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return Math.sign(byRank);
  if ('field' in a && 'field' in b) return compareStrings(a.field, b.field);
  if ('key' in a && 'key' in b) return compareKeys(a.key, b.key);
  if ('value' in a && 'value' in b) return compareValues(a.value, b.value);
  if ('index' in a && 'index' in b) return Math.sign(a.index - b.index);
  return 0;
}

function compareKeys(a: readonly (readonly [string, unknown])[], b: readonly (readonly [string, unknown])[]): number {
  for (let i = 0; ; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) return x === undefined ? (y === undefined ? 0 : -1) : 1;
    const c = compareStrings(x[0], y[0]) || compareValues(x[1], y[1]);
    if (c !== 0) return c;
  }
}

function valueRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (typeof v === 'object' && v !== null) return 4;
  return 5;
}

/** Upstream's value order: numbers, strings, booleans, lists, maps, null. */
export function compareValues(a: unknown, b: unknown): number {
  const byRank = valueRank(a) - valueRank(b);
  if (byRank !== 0) return Math.sign(byRank);
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c;
    }
    return Math.sign(a.length - b.length);
  }
  if (valueRank(a) === 4) return compareKeys(sortedEntries(a as object), sortedEntries(b as object));
  return 0;
}

function sortedEntries(value: object): [string, unknown][] {
  return Object.entries(value).sort(([x], [y]) => compareStrings(x, y));
}
