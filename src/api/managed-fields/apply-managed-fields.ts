import { ApplyConflicts, type FieldConflict } from './apply-conflicts.js';
import { capUpdateManagers, MAX_UPDATE_MANAGERS } from './cap-managers.js';
import { compareInto } from './compare-values.js';
import type { FieldSchema } from './field-schema.js';
import { FieldSet } from './field-set.js';
import { allowedByLastApplied, lastAppliedAnnotationOf, LAST_APPLIED_ANNOTATION } from './last-applied.js';
import { decodeEntries, encodeEntries, managerIdentifier, type ManagedEntry, type ManagedFieldsEntry } from './managed-fields-entry.js';
import { mergeValues } from './merge-values.js';
import { ensureNamedFieldsAreMembers } from './named-fields.js';
import { removeItems } from './remove-items.js';
import { sameValue } from './same-value.js';
import { asMap, childSchema } from './schema-walk.js';
import { toFieldSet } from './to-field-set.js';
import { STRIPPED_FIELDS, updateManagedFields } from './update-managed-fields.js';

/** The manager upstream records the fields of an object first applied to without managedFields under. */
export const BEFORE_FIRST_APPLY = 'before-first-apply';

/** The field manager `kubectl apply --server-side` uses, the only one that upgrades client-side apply. */
const KUBECTL = 'kubectl';

export interface ApplyOptions {
  /** The stored object, with its managedFields; undefined when the apply creates the object. */
  readonly live: object | undefined;
  /** The applied configuration, already checked with validateConfiguration. */
  readonly config: object;
  /** The `fieldManager` parameter (required for apply). */
  readonly manager: string;
  /** The group/version the request was served at, e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** The request time, RFC 3339 in whole seconds. */
  readonly time: string;
  readonly subresource?: string;
  readonly schema: FieldSchema;
  /** Fields the request may not set (the strategy's reset fields): never owned, never conflicting. */
  readonly ignored?: FieldSet;
  /** `force=true`: take fields from other managers instead of failing with their conflicts. */
  readonly force: boolean;
  readonly maxUpdateManagers?: number;
}

export interface ApplyResult {
  /** The merged object (without managedFields), before defaulting. */
  readonly object: Record<string, unknown>;
  readonly managedFields: ManagedFieldsEntry[];
}

/**
 * Server-side apply as kube-apiserver's field manager does it: merges the configuration into the live
 * object by the schema, removes what this manager applied before and applies no more (unless another
 * manager owns it), and records the manager's Apply entry. A change to a field another manager owns is
 * an ApplyConflicts error unless `force` moves the field to this manager. For the `kubectl` manager,
 * conflicts with values that the last-applied-configuration annotation already holds are forced (the
 * client-side to server-side apply upgrade), and that annotation is kept in step with the configuration.
 */
export function applyManagedFields(options: ApplyOptions): ApplyResult {
  const live = options.live === undefined ? {} : withoutManagedFields(options.live);
  let entries = options.live === undefined ? [] : decodeOrEmpty(asMap(asMap(options.live)?.['metadata'])?.['managedFields']);
  if (entries.length === 0 && options.live !== undefined) {
    const firstFields = updateManagedFields({ ...options, old: undefined, next: live, manager: BEFORE_FIRST_APPLY });
    entries = decodeEntries(firstFields);
  }
  let result: ApplyResult;
  try {
    result = applyOnce(options, live, entries, options.force);
  } catch (err) {
    if (!(err instanceof ApplyConflicts) || options.manager !== KUBECTL) throw err;
    const allowed = allowedByLastApplied(live, options.schema, options.apiVersion);
    if (allowed === undefined) throw err;
    const remaining = err.conflicts.filter(({ path }) => !allowed.has(path));
    if (remaining.length > 0) throw new ApplyConflicts(remaining);
    result = applyOnce(options, live, entries, true);
  }
  if (options.manager === KUBECTL) syncLastApplied(result.object, options.config);
  return result;
}

function applyOnce(options: ApplyOptions, live: object, entries: readonly ManagedEntry[], force: boolean): ApplyResult {
  const { schema, ignored } = options;
  const identity = { manager: options.manager, operation: 'Apply' as const, apiVersion: options.apiVersion, subresource: options.subresource ?? '' };
  const id = managerIdentifier(identity);
  const previous = entries.find((entry) => managerIdentifier(entry) === id);
  const others = entries.filter((entry) => entry !== previous);

  const applied = toFieldSet(options.config, schema);
  if (ignored !== undefined) applied.subtract(ignored, true);
  const merged = mergeValues(live, options.config, schema);
  const next = prune(merged, [applied, ...others.map((entry) => entry.set)], previous?.set, schema);

  const changed = new FieldSet();
  const removed = new FieldSet();
  compareInto(live, next, schema, [changed, changed, removed]);
  if (ignored !== undefined) {
    changed.subtract(ignored, true);
    removed.subtract(ignored, true);
  }
  const conflicts: FieldConflict[] = [];
  for (const entry of others) {
    const taken = entry.set.intersection(changed);
    for (const path of taken.paths()) conflicts.push({ manager: managerIdentifier(entry), path });
  }
  if (conflicts.length > 0 && !force) throw new ApplyConflicts(conflicts);

  const kept: ManagedEntry[] = [];
  for (const entry of others) {
    const rest = entry.set.difference(changed).difference(removed);
    if (rest.empty()) continue;
    kept.push(rest.equals(entry.set) ? entry : { ...entry, set: rest, source: undefined });
  }
  const owned = applied.difference(STRIPPED_FIELDS);
  const objectChanged = !sameValue(live, next);
  if (!owned.empty()) kept.push({ ...identity, time: objectChanged ? options.time : previous?.time, set: owned });
  const managedFields = encodeEntries(capUpdateManagers(kept, options.maxUpdateManagers ?? MAX_UPDATE_MANAGERS));
  const object = structuredClone((asMap(next) ?? {}) as Record<string, unknown>);
  dropNullFields(object, schema);
  return { object, managedFields };
}

/**
 * upstream's Updater.prune: of what this manager applied last time, removes what it no longer applies,
 * unless some manager (this one's new configuration included) owns it; fields nobody applied stay.
 */
function prune(merged: unknown, owners: readonly FieldSet[], last: FieldSet | undefined, schema: FieldSchema): unknown {
  if (last === undefined || last.empty()) return merged;
  const named = (set: FieldSet) => ensureNamedFieldsAreMembers(set, schema);
  const fieldsOf = (value: unknown) => named(toFieldSet(value, schema));
  const lastNamed = named(last);
  const owned = new FieldSet();
  for (const set of owners) owned.merge(set);
  const mergedSet = fieldsOf(merged);
  const pruned = removeItems(merged, lastNamed, schema);
  const ownedBack = removeItems(merged, mergedSet.difference(fieldsOf(pruned).union(named(owned))), schema);
  return removeItems(merged, mergedSet.difference(fieldsOf(ownedBack)).intersection(lastNamed), schema);
}

/** Go drops a null struct field when decoding into a typed object (pointers stay nil, omitempty omits). */
function dropNullFields(value: unknown, schema: FieldSchema): void {
  if (Array.isArray(value)) {
    if (schema.kind === 'list') for (const item of value) dropNullFields(item, schema.elements);
    return;
  }
  const map = asMap(value) as Record<string, unknown> | undefined;
  if (map === undefined) return;
  for (const key of Object.keys(map)) {
    if (map[key] === null && schema.kind === 'object' && Object.hasOwn(schema.fields, key)) delete map[key];
    else dropNullFields(map[key], childSchema(schema, key));
  }
}

function syncLastApplied(object: Record<string, unknown>, config: object): void {
  const annotations = asMap(asMap(object['metadata'])?.['annotations']) as Record<string, unknown> | undefined;
  const current = annotations?.[LAST_APPLIED_ANNOTATION];
  if (annotations === undefined || typeof current !== 'string' || current === '') return;
  annotations[LAST_APPLIED_ANNOTATION] = lastAppliedAnnotationOf(config);
}

function decodeOrEmpty(entries: unknown): ManagedEntry[] {
  try {
    return decodeEntries(entries);
  } catch {
    return [];
  }
}

function withoutManagedFields(obj: object): object {
  const metadata = asMap(asMap(obj)?.['metadata']);
  if (metadata === undefined || !Object.hasOwn(metadata, 'managedFields')) return obj;
  const { managedFields: _dropped, ...rest } = metadata;
  return { ...obj, metadata: rest };
}
