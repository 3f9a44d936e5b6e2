/**
 * Pod defaults. SetDefaults_PodSpec and the per-field defaulters apply to every PodSpec (Pods
 * and the templates of ReplicaSets, Deployments, Jobs, CronJobs); SetDefaults_Pod adds the
 * Pod-only ones: requests from limits, enableServiceLinks, host ports under hostNetwork.
 */
import {
  defaultContainer,
  defaultHostNetworkPorts,
  defaultRequestsFromLimits,
} from './container-defaults.js';
import {
  POD_SPEC_ORDER,
  defaultEmbeddedMetadata,
  isObject,
  objectAt,
  objectsAt,
  orderKeys,
  setDefault,
  type JsonObject,
} from './field-order.js';
import { defaultResourceList } from './resource-list.js';
import { defaultVolume } from './volume-defaults.js';

export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

function setIfEmpty(obj: JsonObject, key: string, value: unknown): void {
  if (obj[key] === '' || obj[key] === undefined || obj[key] === null) obj[key] = value;
}

/**
 * The v1 conversion treats `serviceAccount` as a deprecated alias: it fills an empty
 * serviceAccountName, and is always written back as a copy of serviceAccountName.
 */
export function syncDeprecatedServiceAccount(spec: JsonObject): void {
  const name = spec['serviceAccountName'];
  const alias = spec['serviceAccount'];
  if ((name === undefined || name === null || name === '') && typeof alias === 'string' && alias !== '') {
    spec['serviceAccountName'] = alias;
  }
  const effective = spec['serviceAccountName'];
  if (typeof effective === 'string' && effective !== '') spec['serviceAccount'] = effective;
  else delete spec['serviceAccount'];
  orderKeys(spec, POD_SPEC_ORDER);
}

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
const POD_CONTAINER_LISTS = ['containers', 'initContainers'] as const;

/** Fields are defaulted in POD_SPEC_ORDER, so that they need re-ordering less often. */
export function defaultPodSpec(spec: JsonObject): void {
  syncDeprecatedServiceAccount(spec);
  setIfEmpty(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
  setIfEmpty(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setIfEmpty(spec, 'schedulerName', DEFAULT_SCHEDULER_NAME);
  for (const volume of objectsAt(spec, 'volumes')) defaultVolume(volume);
  for (const key of CONTAINER_LISTS) {
    for (const container of objectsAt(spec, key)) defaultContainer(container);
  }
  defaultResourceList(spec['overhead']);
  const podResources = spec['resources'];
  if (isObject(podResources)) {
    defaultResourceList(podResources['limits']);
    defaultResourceList(podResources['requests']);
  }
  orderKeys(spec, POD_SPEC_ORDER);
}

/** A PodTemplateSpec as embedded in workloads; SetDefaults_Pod does not apply to templates. */
export function defaultPodTemplateSpec(template: JsonObject): void {
  defaultEmbeddedMetadata(template);
  defaultPodSpec(objectAt(template, 'spec'));
}

export function defaultPod(pod: JsonObject): void {
  const spec = objectAt(pod, 'spec');
  for (const key of POD_CONTAINER_LISTS) {
    for (const container of objectsAt(spec, key)) defaultRequestsFromLimits(container);
  }
  setDefault(spec, 'enableServiceLinks', true);
  if (spec['hostNetwork'] === true) {
    for (const key of POD_CONTAINER_LISTS) {
      for (const container of objectsAt(spec, key)) defaultHostNetworkPorts(container);
    }
  }
  defaultPodSpec(spec);
}
