/**
 * Defaulting on decode, as kube-apiserver's scheme runs SetObjectDefaults_<Kind> for the served
 * versions (all `v1`): fills unset fields in place, then materialises the zero values Go would
 * print. Kinds without defaulters are left as they are.
 */
import { isObject, type JsonObject } from './field-order.js';
import {
  defaultEndpoints,
  defaultNamespace,
  defaultNode,
  defaultPriorityClass,
  defaultRoleBinding,
  defaultSecret,
  defaultService,
} from './core-defaults.js';
import { defaultPod } from './pod-defaults.js';
import { defaultCronJob, defaultDeployment, defaultJob, defaultReplicaSet } from './workload-defaults.js';
import { materializeZeroValues } from './zero-values.js';

type Defaulter = (obj: JsonObject) => void;

const DEFAULTERS: Readonly<Record<string, Defaulter>> = {
  '/v1/Pod': defaultPod,
  '/v1/Service': defaultService,
  '/v1/Secret': defaultSecret,
  '/v1/Namespace': defaultNamespace,
  '/v1/Node': defaultNode,
  '/v1/Endpoints': defaultEndpoints,
  'apps/v1/ReplicaSet': defaultReplicaSet,
  'apps/v1/Deployment': defaultDeployment,
  'batch/v1/Job': defaultJob,
  'batch/v1/CronJob': defaultCronJob,
  'rbac.authorization.k8s.io/v1/RoleBinding': defaultRoleBinding,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': defaultRoleBinding,
  'scheduling.k8s.io/v1/PriorityClass': defaultPriorityClass,
};

/** DEFAULTERS by group, version and kind: no key string to build per call. */
const BY_GROUP_VERSION_KIND: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, Defaulter>>> = (() => {
  const groups = new Map<string, Map<string, Map<string, Defaulter>>>();
  for (const [key, defaulter] of Object.entries(DEFAULTERS)) {
    const [group = '', version = '', kind = ''] = key.split('/');
    let versions = groups.get(group);
    if (versions === undefined) groups.set(group, (versions = new Map()));
    let kinds = versions.get(version);
    if (kinds === undefined) versions.set(version, (kinds = new Map()));
    kinds.set(kind, defaulter);
  }
  return groups;
})();

export function applyDefaults(group: string, version: string, kind: string, obj: object): void {
  if (!isObject(obj)) return;
  const defaulter = BY_GROUP_VERSION_KIND.get(group)?.get(version)?.get(kind);
  if (defaulter !== undefined) defaulter(obj);
  materializeZeroValues(group, kind, obj);
}
