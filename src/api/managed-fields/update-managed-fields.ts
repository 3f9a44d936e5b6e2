import { capUpdateManagers, MAX_UPDATE_MANAGERS } from './cap-managers.js';
import { compareInto } from './compare-values.js';
import type { FieldSchema } from './field-schema.js';
import { FieldSet } from './field-set.js';
import { goZeroValue } from './go-zero-value.js';
import { decodeEntries, encodeEntries, managerIdentifier, type ManagedEntry, type ManagedFieldsEntry } from './managed-fields-entry.js';
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
  // An update that sends an empty list (or one empty entry) resets field tracking (upstream's isResetManagedFields).
  if (options.old !== undefined && !options.subresource && isReset(managedFieldsOf(options.next))) return [];
  const old = options.old === undefined ? zeroValueOf(options.schema) : withoutManagedFields(options.old);
  // Added and modified fields both count as changed: compare straight into one set.
  const changed = new FieldSet();
  const removed = new FieldSet();
  compareInto(old, withoutManagedFields(options.next), options.schema, [changed, changed, removed]);
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
