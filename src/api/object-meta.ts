/**
 * Validation of the ObjectMeta every object carries, as upstream's ValidateObjectMeta and
 * ValidateObjectMetaUpdate (apimachinery's, plus the core API's finalizer-name rule that every
 * built-in kind applies). Paths and messages match kube-apiserver's.
 */
import type { ManagedFieldsEntry, ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import { forbidden, GoStringer, invalid, required, tooLong, type FieldError } from './field-error.js';
import { FieldPath } from './field-path.js';
import { goQuote } from './go-format.js';
import { nameIsDNSLabel, type NameValidator } from './name-validation.js';
import { isQualifiedName, isValidLabelValue } from './names.js';

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
export const FIELD_IMMUTABLE_MESSAGE = 'field is immutable';
const FIELD_MANAGER_MAX_LENGTH = 128;
const MAX_SUBRESOURCE_NAME_LENGTH = 256;
const STANDARD_FINALIZERS: ReadonlySet<string> = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export interface ValidateObjectMetaOptions {
  /** Namespaced kinds need a namespace; cluster-scoped kinds may not have one. */
  requiresNamespace: boolean;
  nameValidator: NameValidator;
  /** Where the metadata sits; `metadata` by default. */
  path?: FieldPath;
  /**
   * Built-in kinds only accept finalizers that are standard (`kubernetes`, `orphan`,
   * `foregroundDeletion`) or domain-qualified. Default true; custom resources pass false.
   */
  kubeFinalizers?: boolean;
}

function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

export function validateLabels(labels: Readonly<Record<string, string>> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (labels === undefined || labels === null) return errs;
  for (const key of Object.keys(labels)) {
    const value = labels[key] as string;
    for (const msg of isQualifiedName(key)) errs.push(invalid(path, key, msg));
    for (const msg of isValidLabelValue(value)) errs.push(invalid(path, value, msg));
  }
  return errs;
}

/** Keys are qualified names in any case; keys and values together hold at most 256 KiB. */
export function validateAnnotations(
  annotations: Readonly<Record<string, string>> | undefined,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  if (annotations === undefined || annotations === null) return errs;
  // The UTF-16 length bounds the byte size (one to three bytes a code unit); count bytes only if it must.
  let units = 0;
  const keys = Object.keys(annotations);
  for (const key of keys) {
    for (const msg of isQualifiedName(key.toLowerCase())) errs.push(invalid(path, key, msg));
    const value = annotations[key];
    // A value that is not a string (only from unchecked input) takes the exact count below.
    units += key.length + (typeof value === 'string' ? value.length : TOTAL_ANNOTATION_SIZE_LIMIT);
  }
  if (units > TOTAL_ANNOTATION_SIZE_LIMIT / 3) {
    let totalSize = 0;
    for (const key of keys) totalSize += byteLength(key) + byteLength(annotations[key] as string);
    if (totalSize > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  }
  return errs;
}

/** The version of an apiVersion, or '' when it has none or does not parse (ParseGroupVersion). */
function versionOf(apiVersion: string): string {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return apiVersion;
  return parts.length === 2 ? (parts[1] ?? '') : '';
}

function groupOf(apiVersion: string): string {
  const parts = apiVersion.split('/');
  return parts.length === 2 ? (parts[0] ?? '') : '';
}

function validateOwnerReference(ref: OwnerReference, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const apiVersion = ref.apiVersion ?? '';
  const version = versionOf(apiVersion);
  if (version === '') errs.push(invalid(path.child('apiVersion'), apiVersion, 'version must not be empty'));
  if (!ref.kind) errs.push(invalid(path.child('kind'), ref.kind ?? '', 'kind must not be empty'));
  if (!ref.name) errs.push(invalid(path.child('name'), ref.name ?? '', 'name must not be empty'));
  if (!ref.uid) errs.push(invalid(path.child('uid'), ref.uid ?? '', 'uid must not be empty'));
  if (groupOf(apiVersion) === '' && version === 'v1' && ref.kind === 'Event') {
    errs.push(invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
  }
  return errs;
}

export function validateOwnerReferences(refs: readonly OwnerReference[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    errs.push(...validateOwnerReference(ref, path));
    if (ref.controller !== true) continue;
    const current = `${ref.kind}/${ref.name}`;
    if (firstController === '') firstController = current;
    else
      errs.push(
        invalid(
          path,
          refs,
          `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
        ),
      );
  }
  return errs;
}

/** apimachinery's rules: qualified names, and not both orphan and foregroundDeletion. */
export function validateFinalizers(finalizers: readonly string[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const list = finalizers ?? [];
  for (const finalizer of list) {
    for (const msg of isQualifiedName(finalizer)) errs.push(invalid(path, finalizer, msg));
  }
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(invalid(path, list, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/** The built-in kinds' extra rule, reported per index. */
export function validateKubeFinalizers(finalizers: readonly string[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (finalizers ?? []).forEach((finalizer, i) => {
    if (!finalizer.includes('/') && !STANDARD_FINALIZERS.has(finalizer)) {
      errs.push(invalid(path.index(i), finalizer, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

function isPrintable(ch: string): boolean {
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch);
}

function validateFieldManager(manager: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (byteLength(manager) > FIELD_MANAGER_MAX_LENGTH) errs.push(tooLong(path, FIELD_MANAGER_MAX_LENGTH));
  let position = 0;
  for (const ch of manager) {
    if (!isPrintable(ch)) {
      const code = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      errs.push(invalid(path, manager, `invalid character U+${code} (at position ${position})`));
    }
    position += byteLength(ch);
  }
  return errs;
}

export function validateManagedFields(entries: readonly ManagedFieldsEntry[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (entries ?? []).forEach((entry, i) => {
    const entryPath = path.index(i);
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') {
      errs.push(invalid(entryPath.child('operation'), entry.operation ?? '', 'must be `Apply` or `Update`'));
    }
    if (entry.fieldsType && entry.fieldsType !== 'FieldsV1') {
      errs.push(invalid(entryPath.child('fieldsType'), entry.fieldsType, 'must be `FieldsV1`'));
    }
    errs.push(...validateFieldManager(entry.manager ?? '', entryPath.child('manager')));
    if (byteLength(entry.subresource ?? '') > MAX_SUBRESOURCE_NAME_LENGTH) {
      errs.push(tooLong(entryPath.child('subresource'), MAX_SUBRESOURCE_NAME_LENGTH));
    }
  });
  return errs;
}

/** Metadata of an object being created; name generation must already have happened. */
const METADATA = FieldPath.of('metadata');

export function validateObjectMeta(meta: ObjectMeta, options: ValidateObjectMetaOptions): FieldError[] {
  const path = options.path ?? METADATA;
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const msg of options.nameValidator(meta.generateName, true)) {
      errs.push(invalid(path.child('generateName'), meta.generateName, msg));
    }
  }
  if (!meta.name) errs.push(required(path.child('name'), 'name or generateName is required'));
  else for (const msg of options.nameValidator(meta.name, false)) errs.push(invalid(path.child('name'), meta.name, msg));
  if (options.requiresNamespace) {
    if (!meta.namespace) errs.push(required(path.child('namespace')));
    else
      for (const msg of nameIsDNSLabel(meta.namespace, false)) {
        errs.push(invalid(path.child('namespace'), meta.namespace, msg));
      }
  } else if (meta.namespace) {
    errs.push(forbidden(path.child('namespace'), 'not allowed on this type'));
  }
  if ((meta.generation ?? 0) < 0) {
    errs.push(invalid(path.child('generation'), meta.generation, 'must be greater than or equal to 0'));
  }
  errs.push(...validateLabels(meta.labels, path.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, path.child('finalizers')));
  errs.push(...validateManagedFields(meta.managedFields, path.child('managedFields')));
  if (options.kubeFinalizers ?? true) errs.push(...validateKubeFinalizers(meta.finalizers, path.child('finalizers')));
  return errs;
}

/** How Go prints a metav1.Time: `2024-05-01 10:00:00 +0000 UTC`. */
function goTime(timestamp: string | undefined): GoStringer | null {
  if (timestamp === undefined) return null;
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(timestamp);
  return new GoStringer(match ? `${match[1]} ${match[2]} +0000 UTC` : timestamp);
}

function immutable(newValue: unknown, oldValue: unknown, shown: unknown, path: FieldPath): FieldError[] {
  return newValue === oldValue ? [] : [invalid(path, shown, FIELD_IMMUTABLE_MESSAGE)];
}

/** Metadata of an object replacing `oldMeta`. */
export function validateObjectMetaUpdate(
  newMeta: ObjectMeta,
  oldMeta: ObjectMeta,
  options: { path?: FieldPath; kubeFinalizers?: boolean } = {},
): FieldError[] {
  const path = options.path ?? METADATA;
  const errs: FieldError[] = [];
  if (oldMeta.deletionTimestamp) {
    const old = new Set(oldMeta.finalizers ?? []);
    const added = [...new Set((newMeta.finalizers ?? []).filter((f) => !old.has(f)))].sort();
    if (added.length > 0) {
      errs.push(
        forbidden(
          path.child('finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map(goQuote).join(', ')}}`,
        ),
      );
    }
  }
  if (!newMeta.resourceVersion) {
    errs.push(invalid(path.child('resourceVersion'), newMeta.resourceVersion ?? '', 'must be specified for an update'));
  }
  if ((newMeta.generation ?? 0) < (oldMeta.generation ?? 0)) {
    errs.push(invalid(path.child('generation'), newMeta.generation ?? 0, 'must not be decremented'));
  }
  errs.push(...immutable(newMeta.name ?? '', oldMeta.name ?? '', newMeta.name ?? '', path.child('name')));
  errs.push(
    ...immutable(newMeta.namespace ?? '', oldMeta.namespace ?? '', newMeta.namespace ?? '', path.child('namespace')),
  );
  errs.push(...immutable(newMeta.uid ?? '', oldMeta.uid ?? '', newMeta.uid ?? '', path.child('uid')));
  errs.push(
    ...immutable(
      newMeta.creationTimestamp,
      oldMeta.creationTimestamp,
      goTime(newMeta.creationTimestamp) ?? new GoStringer('0001-01-01 00:00:00 +0000 UTC'),
      path.child('creationTimestamp'),
    ),
  );
  errs.push(
    ...immutable(
      newMeta.deletionTimestamp,
      oldMeta.deletionTimestamp,
      goTime(newMeta.deletionTimestamp),
      path.child('deletionTimestamp'),
    ),
  );
  errs.push(
    ...immutable(
      newMeta.deletionGracePeriodSeconds,
      oldMeta.deletionGracePeriodSeconds,
      newMeta.deletionGracePeriodSeconds ?? null,
      path.child('deletionGracePeriodSeconds'),
    ),
  );
  errs.push(...validateLabels(newMeta.labels, path.child('labels')));
  errs.push(...validateAnnotations(newMeta.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(newMeta.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateManagedFields(newMeta.managedFields, path.child('managedFields')));
  if (options.kubeFinalizers ?? true) errs.push(...validateKubeFinalizers(newMeta.finalizers, path.child('finalizers')));
  return errs;
}
