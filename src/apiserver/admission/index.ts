// Admission: the mutating plugins a write goes through after defaulting and before validation.
export { admit, type AdmissionAttributes, type MutatingAdmissionPlugin } from './admission.js';
export { defaultTolerationSeconds, TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE, type DefaultTolerationSecondsOptions } from './default-toleration-seconds.js';
export { nodeRestriction, type NodeRestrictionOptions } from './node-restriction.js';
