import { capUpdateManagers, MAX_UPDATE_MANAGERS } from './cap-managers.js';
import { compareInto } from './compare-values.js';
import type { FieldSchema } from './field-schema.js';
import { FieldSet } from './field-set.js';
import { goZeroValue } from './go-zero-value.js';
import type { FieldsV1 } from './fields-v1.js';
import { decodeEntries, encodeEntries, managerIdentifier, type ManagedEntry, type ManagedFieldsEntry } from './managed-fields-entry.js';
import { serializePathElement } from './path-element.js';
import { asMap } from './schema-walk.js';

/** Fields no manager ever owns (upstream's stripMetaManager). */
export const STRIPPED_FIELDS = FieldSet.of(
  [{ field: 'apiVersion' }],
  [{ field: 'kind' }],
  [{ field: 'metadata' }],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map(
    (name) => [{ field: 'metadata' }, { field: name }],
  ),
);

export interface UpdateManagedFieldsOptions {
  /** The stored object; undefined for a create, which upstream compares against the kind's Go zero value. */
  readonly old?: object;
  /** The object about to be stored, defaulted. */
  readonly next: object;
  /**
   * The `fieldManager` query parameter, or, without one, upstream's managerOrUserAgent: the
   * User-Agent up to its first `/` (`kubectl`, `node`...; kubectl itself sends `kubectl-create`,
   * `kubectl-edit`, `kubectl-label`... as fieldManager). Validate it first (at most 128 printable
   * characters).
   */
  readonly manager: string;
  /** The group/version the request was served at, e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** The request time, RFC 3339 in whole seconds (`2024-08-14T14:40:10Z`). */
  readonly time: string;
  /** e.g. `status` or `scale` when the request targets a subresource. */
  readonly subresource?: string;
  readonly schema: FieldSchema;
  /** The strategy's reset fields, which never change ownership (e.g. `status` for the main resource). */
  readonly ignored?: FieldSet;
  readonly maxUpdateManagers?: number;
}

function managedFieldsOf(obj: object | undefined): unknown {
  return asMap(asMap(obj)?.['metadata'])?.['managedFields'];
}

function withoutManagedFields(obj: object): object {
  const metadata = asMap(asMap(obj)?.['metadata']);
  if (metadata === undefined || !Object.hasOwn(metadata, 'managedFields')) return obj;
  const { managedFields: _dropped, ...rest } = metadata;
  return { ...obj, metadata: rest };
}

/**
 * `obj` without the top-level fields `ignored` holds whole (spec, on a status write): whatever they hold never changes
 * ownership, so they need not be compared (the result is the same as comparing them and subtracting `ignored`).
 */
function withoutWholeFields(obj: object, ignored: FieldSet | undefined): object {
  const map = asMap(obj);
  if (ignored === undefined || map === undefined) return obj;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(map)) {
    if (!ignored.hasMember(serializePathElement({ field: key }))) continue;
    out ??= { ...map };
    delete out[key];
  }
  return out ?? obj;
}

function isReset(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  const [only] = entries as unknown[];
  return entries.length === 1 && typeof only === 'object' && only !== null && Object.keys(only).length === 0;
}

function tryDecode(entries: unknown): ManagedEntry[] | undefined {
  try {
    return decodeEntries(entries);
  } catch {
    return undefined;
  }
}

/**
 * The request's entries start from the new object's managedFields when it carries valid, non-empty
 * ones (a client may edit them), else from the stored object's; subresources always use the stored ones.
 */
function startingEntries(options: UpdateManagedFieldsOptions): ManagedEntry[] {
  const fromNext = options.subresource ? undefined : tryDecode(managedFieldsOf(options.next));
  if (fromNext !== undefined && fromNext.length > 0) return fromNext;
  return tryDecode(managedFieldsOf(options.old)) ?? [];
}

/**
 * The managedFields upstream stores after an Update-operation write (create, update, non-apply
 * patch): fields the request added or changed become the manager's, and are taken from every other
 * manager along with removed fields; emptied entries disappear. The manager's entry gets `time`
 * only when the request changed something.
 */
export function updateManagedFields(options: UpdateManagedFieldsOptions): ManagedFieldsEntry[] {
  if (options.old === undefined && managedFieldsOf(options.next) === undefined) return createdManagedFields(options);
  return computeManagedFields(options);
}

function computeManagedFields(options: UpdateManagedFieldsOptions): ManagedFieldsEntry[] {
  // An update that sends an empty list (or one empty entry) resets field tracking (upstream's isResetManagedFields).
  if (options.old !== undefined && !options.subresource && isReset(managedFieldsOf(options.next))) return [];
  const old = options.old === undefined ? zeroValueOf(options.schema) : withoutManagedFields(options.old);
  // Added and modified fields both count as changed: compare straight into one set.
  const changed = new FieldSet();
  const removed = new FieldSet();
  compareInto(withoutWholeFields(old, options.ignored), withoutWholeFields(withoutManagedFields(options.next), options.ignored), options.schema, [changed, changed, removed]);
  if (options.ignored !== undefined) {
    changed.subtract(options.ignored, true);
    removed.subtract(options.ignored, true);
  }

  // Decoded entries are this call's own: take fields from them in place, noting which changed.
  const entries: ManagedEntry[] = [];
  for (const entry of startingEntries(options)) {
    const taken = entry.set.subtract(changed, false);
    if (entry.set.subtract(removed, false) || taken) entry.source = undefined;
    if (!entry.set.empty()) entries.push(entry);
  }

  const owned = changed;
  owned.subtract(STRIPPED_FIELDS, false);
  if (!owned.empty()) {
    const identity = {
      manager: options.manager,
      operation: 'Update' as const,
      apiVersion: options.apiVersion,
      subresource: options.subresource ?? '',
    };
    const id = managerIdentifier(identity);
    const previous = entries.find((entry) => managerIdentifier(entry) === id);
    if (previous === undefined) entries.push({ ...identity, time: options.time, set: owned });
    else {
      previous.set.merge(owned);
      previous.source = undefined;
      previous.time = options.time;
    }
  }
  return encodeEntries(capUpdateManagers(entries, options.maxUpdateManagers ?? MAX_UPDATE_MANAGERS));
}

/** The kind's Go zero value, computed once per schema (compared against, never changed). */
const zeroValues = new WeakMap<FieldSchema, object>();

function zeroValueOf(schema: FieldSchema): object {
  let zero = zeroValues.get(schema);
  if (zero === undefined) {
    zero = goZeroValue(schema);
    zeroValues.set(schema, zero);
  }
  return zero;
}

const MAX_CREATE_SHAPES = 512;
/** fieldsV1 (deeply frozen, shared by every such create; null for none) of creates by schema, reset fields and shape (see createShapeKey). */
const createShapes = new WeakMap<FieldSchema, WeakMap<FieldSet | typeof NO_IGNORED, Map<string, FieldsV1 | null>>>();
const NO_IGNORED = STRIPPED_FIELDS;

/**
 * A value with every scalar outside a list replaced by a stand-in of its type that is zero exactly when it is (`''`
 * or `'x'`, `0` or `1`, `false` or `true`): which fields a create owns depends on the object's structure, on which
 * fields hold their type's zero value (those equal to the kind's Go zero value are not owned), and on the contents of
 * lists (their keys and set values name fields), never on other scalars. Creates that differ only in names, uids,
 * times, messages and label values (every replica of a template, every Event of one kind) share a shape.
 */
function shapeOf(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      return value === '' ? '' : 'x';
    case 'number':
      return value === 0 ? 0 : 1;
    case 'boolean':
      return value;
    case 'object': {
      if (value === null || Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const key in value) if (Object.hasOwn(value, key)) out[key] = shapeOf((value as Record<string, unknown>)[key]);
      return out;
    }
    default:
      return value;
  }
}

function createShapeKey(next: object): string {
  return JSON.stringify(shapeOf(next));
}

/**
 * updateManagedFields for a create without client-supplied managedFields: the request's manager owns what the
 * object sets. The owned fields depend only on the object's shape (see shapeOf), so they are computed once per
 * distinct shape (from the shape itself) and reused; only the entry around them is built per request.
 */
function createdManagedFields(options: UpdateManagedFieldsOptions): ManagedFieldsEntry[] {
  let bySchema = createShapes.get(options.schema);
  if (bySchema === undefined) {
    bySchema = new WeakMap();
    createShapes.set(options.schema, bySchema);
  }
  const ignoredKey = options.ignored ?? NO_IGNORED;
  let shapes = bySchema.get(ignoredKey);
  if (shapes === undefined) {
    shapes = new Map();
    bySchema.set(ignoredKey, shapes);
  }
  const key = createShapeKey(options.next);
  let fields = shapes.get(key);
  if (fields === undefined) {
    const [entry] = computeManagedFields({ ...options, next: JSON.parse(key) as object });
    fields = entry === undefined ? null : deepFreeze(entry.fieldsV1 ?? {});
    if (shapes.size >= MAX_CREATE_SHAPES) shapes.clear();
    shapes.set(key, fields);
  }
  if (fields === null) return [];
  const out: ManagedFieldsEntry = {};
  if (options.manager !== '') out.manager = options.manager;
  out.operation = 'Update';
  if (options.apiVersion !== '') out.apiVersion = options.apiVersion;
  out.time = options.time;
  out.fieldsType = 'FieldsV1';
  out.fieldsV1 = fields;
  if (options.subresource !== undefined && options.subresource !== '') out.subresource = options.subresource;
  return [out];
}

function deepFreeze(fields: FieldsV1): FieldsV1 {
  for (const key in fields) if (Object.hasOwn(fields, key)) deepFreeze(fields[key]!);
  return Object.freeze(fields);
}
