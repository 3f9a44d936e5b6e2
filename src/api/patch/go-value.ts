/**
 * Decoded JSON seen as Go's `interface{}` values, the way apimachinery's patch code sees them:
 * objects are `map[string]interface {}`, arrays `[]interface {}`, whole numbers `int64` (the
 * server decodes patches preserving integers) and other numbers `float64`. Error messages print
 * these values with fmt's `%v` / `%s` and their types with reflect, so the helpers here do too.
 */
import { goNumber } from '../go-format.js';
import { copyJson } from '../../lib/index.js';

export type JsonMap = Record<string, unknown>;

export const MAP_TYPE = 'map[string]interface {}';
export const SLICE_TYPE = '[]interface {}';

export function isJsonMap(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** reflect.TypeOf(value).String(); undefined for nil, whose type is a nil reflect.Type. */
export function goTypeName(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return SLICE_TYPE;
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(value) ? 'int64' : 'float64';
    default:
      return MAP_TYPE;
  }
}

/** `%s` of a reflect.Type, which prints `%!s(<nil>)` for nil. */
export function goTypeString(value: unknown): string {
  return goTypeName(value) ?? '%!s(<nil>)';
}

/**
 * Go's `==` on two interface values: same dynamic type and same value; nil equals nil. Maps and
 * slices never match here (Go panics comparing them).
 */
export function goEqual(a: unknown, b: unknown): boolean {
  const type = goTypeName(a);
  if (type !== goTypeName(b)) return false;
  if (type === undefined) return true;
  return type !== MAP_TYPE && type !== SLICE_TYPE && a === b;
}

function scalarText(value: string | number | boolean): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : goNumber(value);
  return String(value);
}

/** fmt's `%v` (verb 'v') or `%s` (verb 's') of a value; map keys print sorted, as fmt does. */
export function goFormat(value: unknown, verb: 'v' | 's' = 'v'): string {
  if (value === null || value === undefined) return verb === 'v' ? '<nil>' : '%!s(<nil>)';
  if (Array.isArray(value)) return `[${value.map((v) => goFormat(v, verb)).join(' ')}]`;
  if (isJsonMap(value)) {
    const keys = Object.keys(value).sort();
    return `map[${keys.map((k) => `${k}:${goFormat(value[k], verb)}`).join(' ')}]`;
  }
  const scalar = value as string | number | boolean;
  if (verb === 'v' || typeof scalar === 'string') return scalarText(scalar);
  return `%!s(${goTypeName(scalar) ?? ''}=${scalarText(scalar)})`;
}

/** A deep copy of decoded JSON, so patching never touches the caller's values. */
export function cloneJson<T>(value: T): T {
  return copyJson(value);
}
