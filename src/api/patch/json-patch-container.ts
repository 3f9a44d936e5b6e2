/**
 * The objects and arrays a JSON patch operation addresses, with evanphx/json-patch v4's rules
 * (the library kube-apiserver applies `application/json-patch+json` with): negative array
 * indices count from the end, a missing object key reads as null, and failures carry its texts.
 */
import { goQuote } from '../go-format.js';
import { isJsonMap, type JsonMap } from './go-value.js';

export type Container = JsonMap | unknown[];

/** A failed step; its message is the library's error text. */
export class JsonPatchStepError extends Error {
  override readonly name = 'JsonPatchStepError';
}

export const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

/** pkg/errors' Wrapf: `message: cause`. */
export function wrap(message: string, cause: string): JsonPatchStepError {
  return new JsonPatchStepError(`${message}: ${cause}`);
}

const INT64_MAX = 2n ** 63n - 1n;

/** strconv.Atoi: an index, or the error text. */
export function atoi(text: string): number | string {
  if (!/^[+-]?[0-9]+$/.test(text)) return `strconv.Atoi: parsing ${goQuote(text)}: invalid syntax`;
  const big = BigInt(text);
  if (big > INT64_MAX || big < -INT64_MAX - 1n) return `strconv.Atoi: parsing ${goQuote(text)}: value out of range`;
  return Number(big);
}

function invalidIndex(index: number): JsonPatchStepError {
  return wrap(`Unable to access invalid index: ${index}`, INVALID_INDEX);
}

/** The array position an index names, counting negative ones from `length`. */
function resolveIndex(key: string, length: number): number {
  const index = atoi(key);
  if (typeof index === 'string') throw new JsonPatchStepError(index);
  if (index < 0) {
    if (index < -length) throw invalidIndex(index);
    return index + length;
  }
  return index;
}

/** The value at `key`: undefined for a missing object key; out-of-range indices fail. */
export function getChild(container: Container, key: string): unknown {
  if (!Array.isArray(container)) return Object.hasOwn(container, key) ? container[key] : undefined;
  const index = resolveIndex(key, container.length);
  if (index >= container.length) throw invalidIndex(index);
  return container[index];
}

/** Replaces an existing array element or sets an object key (which need not exist). */
export function setChild(container: Container, key: string, value: unknown): void {
  if (!Array.isArray(container)) {
    container[key] = value;
    return;
  }
  container[resolveIndex(key, container.length)] = value;
}

export function addChild(container: Container, key: string, value: unknown): void {
  if (!Array.isArray(container)) {
    container[key] = value;
    return;
  }
  if (key === '-') {
    container.push(value);
    return;
  }
  const parsed = atoi(key);
  if (typeof parsed === 'string') throw wrap(`value was not a proper array index: '${key}'`, parsed);
  const size = container.length + 1;
  if (parsed >= size || parsed < -size) throw invalidIndex(parsed);
  container.splice(parsed < 0 ? parsed + size : parsed, 0, value);
}

export function removeChild(container: Container, key: string): void {
  if (!Array.isArray(container)) {
    if (!Object.hasOwn(container, key)) throw wrap(`Unable to remove nonexistent key: ${key}`, MISSING);
    delete container[key];
    return;
  }
  const parsed = atoi(key);
  if (typeof parsed === 'string') throw new JsonPatchStepError(parsed);
  if (parsed >= container.length || parsed < -container.length) throw invalidIndex(parsed);
  container.splice(parsed < 0 ? parsed + container.length : parsed, 1);
}

/** RFC 6901 unescaping of one reference token. */
function decodeToken(token: string): string {
  return token.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
}

/**
 * The container holding the last token of `path`, and that token; undefined when the path has
 * no `/` or an intermediate value is missing, null or a scalar. Like the library, the text
 * before the first `/` is ignored.
 */
export function findParent(root: Container, path: string): { container: Container; key: string } | undefined {
  const tokens = path.split('/');
  if (tokens.length < 2) return undefined;
  let container = root;
  for (const token of tokens.slice(1, -1)) {
    let next: unknown;
    try {
      next = getChild(container, decodeToken(token));
    } catch {
      return undefined;
    }
    if (!Array.isArray(next) && !isJsonMap(next)) return undefined;
    container = next;
  }
  return { container, key: decodeToken(tokens[tokens.length - 1] ?? '') };
}
