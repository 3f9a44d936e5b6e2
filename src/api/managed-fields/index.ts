// Server-side field ownership (metadata.managedFields) as structured-merge-diff computes it.
export type { FieldSchema, GoZero, ListFieldSchema, MapFieldSchema, ObjectFieldSchema } from './field-schema.js';
export { UNTYPED_FIELD_SCHEMA } from './field-schema.js';
export { FieldSet, type FieldSetPath } from './field-set.js';
export { fieldsV1, fromFieldsV1, type FieldsV1 } from './fields-v1.js';
export type { PathElement } from './path-element.js';
export { toFieldSet } from './to-field-set.js';
export { compareValues, type Comparison } from './compare-values.js';
export type { ManagedFieldsEntry } from './managed-fields-entry.js';
export { MAX_UPDATE_MANAGERS } from './cap-managers.js';
export { updateManagedFields, type UpdateManagedFieldsOptions } from './update-managed-fields.js';
export { applyManagedFields, BEFORE_FIRST_APPLY, type ApplyOptions, type ApplyResult } from './apply-managed-fields.js';
export { ApplyConflicts, printManager, type FieldConflict } from './apply-conflicts.js';
export { validateConfiguration } from './validate-configuration.js';
export { mergeValues } from './merge-values.js';
export { removeItems } from './remove-items.js';
export { pathString } from './path-string.js';
export { LAST_APPLIED_ANNOTATION } from './last-applied.js';
export { scaleManagedFields, parentManagedFields } from './scale-managed-fields.js';
