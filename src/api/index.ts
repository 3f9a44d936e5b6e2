// The API machinery, without I/O: the kinds Skiff serves and their storage keys, object metadata and names,
// label and field selectors, quantities, Status errors, strict decoding, defaulting and validation.
export * from './api-error.js';
export * from './field-error.js';
export { FieldPath, newPath } from './field-path.js';
export * from './field-selector.js';
export * from './label-selector.js';
export { Quantity, QuantityParseError, type QuantityFormat } from './quantity.js';
export * from './generate-name.js';
export * from './names.js';
export * from './name-validation.js';
export * from './object-meta.js';
export * from './kinds.js';
export * from './kubeconfig.js';
export * from './strict-decoder.js';
export { pruneUnknownFields } from './prune-unknown-fields.js';
export { goQuote } from './go-format.js';
export { applyDefaults } from './defaults/apply-defaults.js';
export * from './group-resource.js';
export { findUnknownFields, lookupField, acceptsShape, UNKNOWN_FIELD, type StructuralSchema } from './structural-schema.js';
export { findJsonSyntaxProblem, MAX_JSON_DEPTH } from './json-syntax.js';
export { goNumber } from './go-format.js';
export { materializeZeroValues } from './defaults/zero-values.js';
export { prepareNamespaceForCreate } from './defaults/core-defaults.js';
export { generateJobSelector } from './defaults/workload-defaults.js';
export { parseImageName, defaultPullPolicy, type ImageReference } from './defaults/image-reference.js';
export { validateObject, type ValidateObjectOptions } from './validation/validate-object.js';
export { cronScheduleError } from './validation/cron-schedule.js';
export * from './patch/index.js';
