/**
 * Go serialises a struct's fields in declaration order. Defaulting adds fields to decoded JSON,
 * so the structs it touches are re-ordered here to read as kube-apiserver writes them. Keys a
 * struct does not declare (unknown to v1.32) keep their relative order after the known ones.
 */
import type { JsonObject } from './key-order.js';
import { orderKeys } from './key-order.js';

export { orderKeys, sortMapKeys, type JsonObject } from './key-order.js';

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object under `key`, created empty when absent (Go's non-pointer struct). */
export function objectAt(parent: JsonObject, key: string): JsonObject {
  const current = parent[key];
  if (isObject(current)) return current;
  const created: JsonObject = {};
  parent[key] = created;
  return created;
}

export function objectsAt(parent: JsonObject, key: string): JsonObject[] {
  const value = parent[key];
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** Sets `key` when it is absent (or null, as Go decodes null into a zero value). */
export function setDefault(obj: JsonObject, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

export const OBJECT_META_ORDER = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
] as const;

export const TEMPLATE_ORDER = ['metadata', 'spec'] as const;

export const POD_SPEC_ORDER = [
  'volumes',
  'initContainers',
  'containers',
  'ephemeralContainers',
  'restartPolicy',
  'terminationGracePeriodSeconds',
  'activeDeadlineSeconds',
  'dnsPolicy',
  'nodeSelector',
  'serviceAccountName',
  'serviceAccount',
  'automountServiceAccountToken',
  'nodeName',
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'shareProcessNamespace',
  'securityContext',
  'imagePullSecrets',
  'hostname',
  'subdomain',
  'affinity',
  'schedulerName',
  'tolerations',
  'hostAliases',
  'priorityClassName',
  'priority',
  'dnsConfig',
  'readinessGates',
  'runtimeClassName',
  'enableServiceLinks',
  'preemptionPolicy',
  'overhead',
  'topologySpreadConstraints',
  'setHostnameAsFQDN',
  'os',
  'hostUsers',
  'schedulingGates',
  'resourceClaims',
  'resources',
] as const;

export const CONTAINER_ORDER = [
  'name',
  'image',
  'command',
  'args',
  'workingDir',
  'ports',
  'envFrom',
  'env',
  'resources',
  'resizePolicy',
  'restartPolicy',
  'volumeMounts',
  'volumeDevices',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'imagePullPolicy',
  'securityContext',
  'stdin',
  'stdinOnce',
  'tty',
  'targetContainerName',
] as const;

export const CONTAINER_PORT_ORDER = ['name', 'hostPort', 'containerPort', 'protocol', 'hostIP'] as const;
export const RESOURCES_ORDER = ['limits', 'requests', 'claims'] as const;
export const PROBE_ORDER = [
  'exec',
  'httpGet',
  'tcpSocket',
  'grpc',
  'initialDelaySeconds',
  'timeoutSeconds',
  'periodSeconds',
  'successThreshold',
  'failureThreshold',
  'terminationGracePeriodSeconds',
] as const;
export const HTTP_GET_ORDER = ['path', 'port', 'host', 'scheme', 'httpHeaders'] as const;
export const GRPC_ORDER = ['port', 'service'] as const;
export const FIELD_SELECTOR_ORDER = ['apiVersion', 'fieldPath'] as const;

export const REPLICA_SET_SPEC_ORDER = ['replicas', 'minReadySeconds', 'selector', 'template'] as const;
export const DEPLOYMENT_SPEC_ORDER = [
  'replicas',
  'selector',
  'template',
  'strategy',
  'minReadySeconds',
  'revisionHistoryLimit',
  'paused',
  'progressDeadlineSeconds',
] as const;
export const DEPLOYMENT_STRATEGY_ORDER = ['type', 'rollingUpdate'] as const;
export const ROLLING_UPDATE_ORDER = ['maxUnavailable', 'maxSurge'] as const;

export const JOB_SPEC_ORDER = [
  'parallelism',
  'completions',
  'activeDeadlineSeconds',
  'podFailurePolicy',
  'successPolicy',
  'backoffLimit',
  'backoffLimitPerIndex',
  'maxFailedIndexes',
  'selector',
  'manualSelector',
  'template',
  'ttlSecondsAfterFinished',
  'completionMode',
  'suspend',
  'podReplacementPolicy',
  'managedBy',
] as const;
export const CRON_JOB_SPEC_ORDER = [
  'schedule',
  'timeZone',
  'startingDeadlineSeconds',
  'concurrencyPolicy',
  'suspend',
  'jobTemplate',
  'successfulJobsHistoryLimit',
  'failedJobsHistoryLimit',
] as const;

export const SERVICE_SPEC_ORDER = [
  'ports',
  'selector',
  'clusterIP',
  'clusterIPs',
  'type',
  'externalIPs',
  'sessionAffinity',
  'loadBalancerIP',
  'loadBalancerSourceRanges',
  'externalName',
  'externalTrafficPolicy',
  'healthCheckNodePort',
  'publishNotReadyAddresses',
  'sessionAffinityConfig',
  'ipFamilies',
  'ipFamilyPolicy',
  'allocateLoadBalancerNodePorts',
  'loadBalancerClass',
  'internalTrafficPolicy',
  'trafficDistribution',
] as const;
export const SERVICE_PORT_ORDER = ['name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort'] as const;
export const ENDPOINT_PORT_ORDER = ['name', 'port', 'protocol', 'appProtocol'] as const;

/** Top-level order of kinds whose payload sits beside metadata instead of in spec. */
export const TOP_LEVEL_ORDER = [
  'kind',
  'apiVersion',
  'metadata',
  'immutable',
  'data',
  'binaryData',
  'stringData',
  'type',
  'spec',
  'status',
] as const;
export const SUBJECT_ORDER = ['kind', 'apiGroup', 'name', 'namespace'] as const;
export const ROLE_REF_ORDER = ['apiGroup', 'kind', 'name'] as const;

/**
 * An embedded ObjectMeta (a template's) is a non-pointer struct, and Go prints its zero
 * creationTimestamp as null: upstream always returns `metadata: {creationTimestamp: null, ...}`.
 */
export function defaultEmbeddedMetadata(template: JsonObject): void {
  const metadata = objectAt(template, 'metadata');
  if (metadata['creationTimestamp'] === undefined) metadata['creationTimestamp'] = null;
  orderKeys(metadata, OBJECT_META_ORDER);
  orderKeys(template, TEMPLATE_ORDER);
}
