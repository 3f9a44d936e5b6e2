/**
 * RFC 6902 JSON patch as kube-apiserver applies `application/json-patch+json`: with
 * evanphx/json-patch v4.12 (gopkg.in/evanphx/json-patch.v4), quirks included — `replace` of a
 * missing object key adds it, `copy` from a missing key copies null, `test` of a missing key
 * against null passes, negative array indices count from the end, and `add`/`remove` at the
 * root path fail.
 */
import { cloneJson, isJsonMap, type JsonMap } from './go-value.js';
import {
  addChild,
  findParent,
  getChild,
  JsonPatchStepError,
  MISSING,
  removeChild,
  setChild,
  wrap,
  type Container,
} from './json-patch-container.js';
import { goJsonSize, jsonPatchEqual } from './json-patch-value.js';
import { MAX_JSON_PATCH_OPERATIONS, PatchError } from './patch-error.js';

/** kube-apiserver's JSONPatchMaxCopyBytes default (3 MiB), which it gives the library. */
const ACCUMULATED_COPY_SIZE_LIMIT = 3 * 1024 * 1024;

type Operation = JsonMap | null;

/** encoding/json's name for the JSON type of a value, as its unmarshal errors print it. */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** jsonpatch.DecodePatch of a decoded body; upstream answers its failures 400. */
function decodePatch(patch: unknown): Operation[] {
  if (patch === null) return [];
  if (!Array.isArray(patch)) {
    throw PatchError.badRequest(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of patch) {
    if (op !== null && !isJsonMap(op)) {
      throw PatchError.badRequest(`json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  return patch as Operation[];
}

function member(op: Operation, name: string): unknown {
  return op !== null && Object.hasOwn(op, name) ? op[name] : undefined;
}

/** A string member (`path`, `from`), or the library's error text for it. */
function stringMember(op: Operation, name: 'path' | 'from'): { value: string } | { error: string } {
  const raw = member(op, name);
  if (typeof raw === 'string') return { value: raw };
  if (raw === undefined || raw === null) {
    return { error: name === 'path' ? `operation missing path field: ${MISSING}` : `operation, missing from field: ${MISSING}` };
  }
  return { error: `json: cannot unmarshal ${jsonKind(raw)} into Go value of type string` };
}

/** `value`, or null when absent (the library stores a nil node, which encodes as null). */
const valueOf = (op: Operation): unknown => cloneJson(member(op, 'value') ?? null);

class Applier {
  root: Container;
  #copied = 0;

  constructor(root: Container) {
    this.root = root;
  }

  #path(op: Operation, verb: string, passCause: boolean): string {
    const path = stringMember(op, 'path');
    if ('value' in path) return path.value;
    throw wrap(`${verb} operation failed to decode path`, passCause ? path.error : MISSING);
  }

  #from(op: Operation, verb: string): string {
    const from = stringMember(op, 'from');
    if ('value' in from) return from.value;
    throw wrap(`${verb} operation failed to decode from`, from.error);
  }

  #step<T>(run: () => T, message: string): T {
    try {
      return run();
    } catch (err) {
      if (err instanceof JsonPatchStepError) throw wrap(message, err.message);
      throw err;
    }
  }

  add(op: Operation): void {
    const path = this.#path(op, 'add', false);
    const parent = findParent(this.root, path);
    if (parent === undefined) throw wrap(`add operation does not apply: doc is missing path: "${path}"`, MISSING);
    this.#step(() => addChild(parent.container, parent.key, valueOf(op)), `error in add for path: '${path}'`);
  }

  remove(op: Operation): void {
    const path = this.#path(op, 'remove', false);
    const parent = findParent(this.root, path);
    if (parent === undefined) throw wrap(`remove operation does not apply: doc is missing path: "${path}"`, MISSING);
    this.#step(() => removeChild(parent.container, parent.key), `error in remove for path: '${path}'`);
  }

  replace(op: Operation): void {
    const path = this.#path(op, 'replace', true);
    if (path === '') {
      if (!Object.hasOwn(op ?? {}, 'value')) throw PatchError.panic();
      const value = valueOf(op);
      // Anything but an object or array is silently ignored: the library wraps a nil error.
      if (Array.isArray(value) || isJsonMap(value)) this.root = value;
      return;
    }
    const parent = findParent(this.root, path);
    if (parent === undefined) throw wrap(`replace operation does not apply: doc is missing path: ${path}`, MISSING);
    try {
      getChild(parent.container, parent.key);
    } catch {
      throw wrap(`replace operation does not apply: doc is missing key: ${path}`, MISSING);
    }
    this.#step(() => setChild(parent.container, parent.key, valueOf(op)), `error in remove for path: '${path}'`);
  }

  move(op: Operation): void {
    const from = this.#from(op, 'move');
    const source = findParent(this.root, from);
    if (source === undefined) throw wrap(`move operation does not apply: doc is missing from path: ${from}`, MISSING);
    const value = this.#step(() => getChild(source.container, source.key), `error in move for path: '${source.key}'`);
    this.#step(() => removeChild(source.container, source.key), `error in move for path: '${source.key}'`);
    const path = this.#path(op, 'move', true);
    const target = findParent(this.root, path);
    if (target === undefined) throw wrap(`move operation does not apply: doc is missing destination path: ${path}`, MISSING);
    this.#step(() => addChild(target.container, target.key, value ?? null), `error in move for path: '${path}'`);
  }

  copy(op: Operation): void {
    const from = this.#from(op, 'copy');
    const source = findParent(this.root, from);
    if (source === undefined) throw wrap(`copy operation does not apply: doc is missing from path: ${from}`, MISSING);
    const value = this.#step(() => getChild(source.container, source.key), `error in copy for from: '${from}'`) ?? null;
    const path = this.#path(op, 'copy', false);
    const target = findParent(this.root, path);
    if (target === undefined) throw wrap(`copy operation does not apply: doc is missing destination path: ${path}`, MISSING);
    // A null (or missing) source is a nil node to the library, which copies it as 0 bytes.
    if (value !== null) this.#copied += goJsonSize(value);
    if (this.#copied > ACCUMULATED_COPY_SIZE_LIMIT) {
      throw new JsonPatchStepError(
        `Unable to complete the copy, the accumulated size increase of copy is ${this.#copied}, exceeding the limit ${ACCUMULATED_COPY_SIZE_LIMIT}`,
      );
    }
    this.#step(() => addChild(target.container, target.key, cloneJson(value)), 'error while adding value during copy');
  }

  test(op: Operation): void {
    const path = this.#path(op, 'test', true);
    const hasValue = Object.hasOwn(op ?? {}, 'value');
    const expected = member(op, 'value') ?? null;
    const failed = wrap(`testing value ${path} failed`, 'test failed');
    if (path === '') {
      if (!hasValue) throw PatchError.panic();
      if (expected === null || !jsonPatchEqual(this.root, expected)) throw failed;
      return;
    }
    const parent = findParent(this.root, path);
    if (parent === undefined) throw wrap(`test operation does not apply: is missing path: ${path}`, MISSING);
    const actual = this.#step(() => getChild(parent.container, parent.key), `error in test for path: '${path}'`) ?? null;
    if (actual === null) {
      if (!hasValue) throw PatchError.panic();
      if (expected !== null) throw failed;
      return;
    }
    if (!hasValue || expected === null || !jsonPatchEqual(actual, expected)) throw failed;
  }
}

function kindOf(op: Operation): string {
  const kind = member(op, 'op');
  return typeof kind === 'string' ? kind : 'unknown';
}

/**
 * Applies an RFC 6902 patch (decoded JSON) to a copy of `doc` (a decoded object or array) and
 * returns the result. Throws PatchError: BadRequest when the patch is not a list of operation
 * objects, RequestEntityTooLarge past 10000 operations, Invalid when an operation fails (its
 * message is the library's, e.g. `testing value /spec/replicas failed: test failed`).
 */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  const ops = decodePatch(patch);
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new PatchError(
      'RequestEntityTooLarge',
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`,
    );
  }
  if (!Array.isArray(doc) && !isJsonMap(doc)) throw PatchError.invalid('invalid JSON document');
  const applier = new Applier(cloneJson(doc));
  for (const op of ops) {
    const kind = kindOf(op);
    try {
      switch (kind) {
        case 'add':
        case 'remove':
        case 'replace':
        case 'move':
        case 'copy':
        case 'test':
          applier[kind](op);
          break;
        default:
          throw new JsonPatchStepError(`Unexpected kind: ${kind}`);
      }
    } catch (err) {
      if (err instanceof JsonPatchStepError) throw PatchError.invalid(err.message);
      throw err;
    }
  }
  return applier.root;
}
