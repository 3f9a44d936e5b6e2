/**
 * Validation of a served object on create (no `old`) or update, as the v1.32 registry
 * strategies' Validate and ValidateUpdate do it. The object must already be defaulted (and, for
 * Jobs on create, have its generated selector); errors carry upstream's paths and messages.
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { FieldError } from '../field-error.js';
import { findKindByGVK } from '../kinds.js';
import { nameValidatorFor } from '../name-validation.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../object-meta.js';
import { validateDeployment, validateDeploymentUpdate, validateReplicaSet, validateReplicaSetUpdate } from './apps-validation.js';
import { validateCronJob, validateCronJobUpdate, validateJob, validateJobUpdate } from './batch-validation.js';
import {
  validateLease,
  validateLeaseUpdate,
  validateNamespace,
  validateNamespaceUpdate,
  validateNode,
  validateNodeUpdate,
} from './cluster-validation.js';
import {
  validateConfigMap,
  validateConfigMapUpdate,
  validateSecret,
  validateSecretUpdate,
  validateServiceAccount,
  validateServiceAccountUpdate,
} from './config-validation.js';
import { validateEvent, validateEventUpdate } from './event-validation.js';
import { validatePodCreate, validatePodStatusUpdate, validatePodUpdate } from './pod-validation.js';
import {
  validateClusterRole,
  validateClusterRoleBinding,
  validateRbacUpdate,
  validateRole,
  validateRoleBinding,
} from './rbac-validation.js';
import { validatePriorityClass, validatePriorityClassUpdate } from './scheduling-validation.js';
import { validateEndpoints, validateEndpointsUpdate, validateService, validateServiceUpdate } from './service-validation.js';
import { isObject, type JsonObject } from './validation-util.js';

export interface ValidateObjectOptions {
  /** The stored object an update replaces; absent on create. */
  old?: object;
  /** The subresource an update is written through (`status`): some kinds validate those differently. */
  subresource?: string;
}

interface KindValidator {
  create(obj: JsonObject): FieldError[];
  update(obj: JsonObject, old: JsonObject): FieldError[];
  /** An update through the status subresource, when the kind checks it apart (upstream's ValidateXStatusUpdate). */
  statusUpdate?(obj: JsonObject, old: JsonObject): FieldError[];
}

const RBAC = 'rbac.authorization.k8s.io';

const VALIDATORS: Readonly<Record<string, KindValidator>> = {
  '/Pod': { create: validatePodCreate, update: validatePodUpdate, statusUpdate: validatePodStatusUpdate },
  '/Service': { create: validateService, update: validateServiceUpdate },
  '/Endpoints': { create: validateEndpoints, update: validateEndpointsUpdate },
  '/ConfigMap': { create: validateConfigMap, update: validateConfigMapUpdate },
  '/Secret': { create: validateSecret, update: validateSecretUpdate },
  '/ServiceAccount': { create: validateServiceAccount, update: validateServiceAccountUpdate },
  '/Namespace': { create: validateNamespace, update: validateNamespaceUpdate },
  '/Node': { create: validateNode, update: validateNodeUpdate },
  '/Event': { create: (o) => validateEvent(o, false), update: (o, old) => validateEventUpdate(o, old, false) },
  'events.k8s.io/Event': { create: (o) => validateEvent(o, true), update: (o, old) => validateEventUpdate(o, old, true) },
  'apps/ReplicaSet': { create: validateReplicaSet, update: validateReplicaSetUpdate },
  'apps/Deployment': { create: validateDeployment, update: validateDeploymentUpdate },
  'batch/Job': { create: validateJob, update: validateJobUpdate },
  'batch/CronJob': { create: validateCronJob, update: validateCronJobUpdate },
  'coordination.k8s.io/Lease': { create: validateLease, update: validateLeaseUpdate },
  'scheduling.k8s.io/PriorityClass': { create: validatePriorityClass, update: validatePriorityClassUpdate },
  [`${RBAC}/Role`]: { create: validateRole, update: (o, old) => validateRbacUpdate('Role', o, old) },
  [`${RBAC}/ClusterRole`]: { create: validateClusterRole, update: (o, old) => validateRbacUpdate('ClusterRole', o, old) },
  [`${RBAC}/RoleBinding`]: { create: validateRoleBinding, update: (o, old) => validateRbacUpdate('RoleBinding', o, old) },
  [`${RBAC}/ClusterRoleBinding`]: {
    create: validateClusterRoleBinding,
    update: (o, old) => validateRbacUpdate('ClusterRoleBinding', o, old),
  },
};

/** Kinds without a validator of their own get the generic metadata checks. */
function metadataOnly(group: string, version: string, kind: string, obj: JsonObject, old: JsonObject | undefined): FieldError[] {
  const meta = (isObject(obj['metadata']) ? obj['metadata'] : {}) as ObjectMeta;
  if (old !== undefined) {
    const oldMeta = (isObject(old['metadata']) ? old['metadata'] : {}) as ObjectMeta;
    return validateObjectMetaUpdate(meta, oldMeta, { kubeFinalizers: false });
  }
  return validateObjectMeta(meta, {
    requiresNamespace: findKindByGVK(group, version, kind)?.namespaced ?? true,
    nameValidator: nameValidatorFor({ group, kind }),
    kubeFinalizers: false,
  });
}

/** VALIDATORS by group, then kind: no key string to build per call. */
const BY_GROUP: ReadonlyMap<string, ReadonlyMap<string, KindValidator>> = (() => {
  const groups = new Map<string, Map<string, KindValidator>>();
  for (const [groupKind, validator] of Object.entries(VALIDATORS)) {
    const slash = groupKind.lastIndexOf('/');
    const group = groupKind.slice(0, slash);
    let kinds = groups.get(group);
    if (kinds === undefined) groups.set(group, (kinds = new Map()));
    kinds.set(groupKind.slice(slash + 1), validator);
  }
  return groups;
})();

export function validateObject(
  group: string,
  version: string,
  kind: string,
  obj: object,
  options: ValidateObjectOptions = {},
): FieldError[] {
  const object = (isObject(obj) ? obj : {}) as JsonObject;
  const old = options.old !== undefined && isObject(options.old) ? (options.old as JsonObject) : undefined;
  const validator = BY_GROUP.get(group)?.get(kind);
  if (validator === undefined) return metadataOnly(group, version, kind, object, old);
  if (old === undefined) return validator.create(object);
  if (options.subresource === 'status' && validator.statusUpdate) return validator.statusUpdate(object, old);
  return validator.update(object, old);
}
