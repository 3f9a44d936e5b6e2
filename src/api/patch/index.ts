// Applying the three PATCH body types kube-apiserver accepts besides apply: RFC 6902 JSON patch,
// RFC 7396 JSON merge patch and strategic merge patch, with upstream's results and errors.
export { applyJsonPatch } from './apply-json-patch.js';
export { applyMergePatch } from './apply-merge-patch.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';
export { ANY_PATCH_META, patchMetaFromLiteral, type PatchMeta, type PatchMetaLiteral, type PatchStrategy } from './patch-meta.js';
export { isPatchError, MAX_JSON_PATCH_OPERATIONS, PANIC_MESSAGE, PatchError, type PatchErrorKind } from './patch-error.js';
