/**
 * Container defaults (SetDefaults_Container and the generated per-field defaulters for ports,
 * env, resources, probes and lifecycle handlers), shared by containers, init containers and
 * ephemeral containers.
 */
import {
  CONTAINER_ORDER,
  CONTAINER_PORT_ORDER,
  FIELD_SELECTOR_ORDER,
  GRPC_ORDER,
  HTTP_GET_ORDER,
  PROBE_ORDER,
  RESOURCES_ORDER,
  isObject,
  objectAt,
  objectsAt,
  orderKeys,
  setDefault,
  type JsonObject,
} from './field-order.js';
import { defaultPullPolicy } from './image-reference.js';
import { defaultResourceList } from './resource-list.js';

export const TERMINATION_MESSAGE_PATH_DEFAULT = '/dev/termination-log';

export function defaultHttpGet(action: unknown): void {
  if (!isObject(action)) return;
  setDefault(action, 'path', '/');
  setDefault(action, 'scheme', 'HTTP');
  orderKeys(action, HTTP_GET_ORDER);
}

export function defaultFieldSelector(selector: unknown): void {
  if (!isObject(selector)) return;
  setDefault(selector, 'apiVersion', 'v1');
  orderKeys(selector, FIELD_SELECTOR_ORDER);
}

const PROBE_DEFAULTS: ReadonlyArray<readonly [string, number]> = [
  ['timeoutSeconds', 1],
  ['periodSeconds', 10],
  ['successThreshold', 1],
  ['failureThreshold', 3],
];
const LIFECYCLE_HOOKS = ['postStart', 'preStop'] as const;

function defaultProbe(probe: unknown): void {
  if (!isObject(probe)) return;
  for (const [key, value] of PROBE_DEFAULTS) {
    if (probe[key] === undefined || probe[key] === null || probe[key] === 0) probe[key] = value;
  }
  defaultHttpGet(probe['httpGet']);
  const grpc = probe['grpc'];
  if (isObject(grpc)) {
    setDefault(grpc, 'service', '');
    orderKeys(grpc, GRPC_ORDER);
  }
  orderKeys(probe, PROBE_ORDER);
}

function defaultLifecycle(lifecycle: unknown): void {
  if (!isObject(lifecycle)) return;
  for (const hook of LIFECYCLE_HOOKS) {
    const handler = lifecycle[hook];
    if (isObject(handler)) defaultHttpGet(handler['httpGet']);
  }
}

function isEmptyString(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** Defaults are set in CONTAINER_ORDER so that a container in declaration order needs no re-ordering. */
export function defaultContainer(container: JsonObject): void {
  for (const port of objectsAt(container, 'ports')) {
    if (isEmptyString(port['protocol'])) port['protocol'] = 'TCP';
    orderKeys(port, CONTAINER_PORT_ORDER);
  }
  for (const env of objectsAt(container, 'env')) {
    const valueFrom = env['valueFrom'];
    if (isObject(valueFrom)) defaultFieldSelector(valueFrom['fieldRef']);
  }
  const resources = objectAt(container, 'resources');
  defaultResourceList(resources['limits']);
  defaultResourceList(resources['requests']);
  orderKeys(resources, RESOURCES_ORDER);
  defaultProbe(container['livenessProbe']);
  defaultProbe(container['readinessProbe']);
  defaultProbe(container['startupProbe']);
  defaultLifecycle(container['lifecycle']);
  if (isEmptyString(container['terminationMessagePath'])) {
    container['terminationMessagePath'] = TERMINATION_MESSAGE_PATH_DEFAULT;
  }
  if (isEmptyString(container['terminationMessagePolicy'])) container['terminationMessagePolicy'] = 'File';
  if (isEmptyString(container['imagePullPolicy'])) {
    container['imagePullPolicy'] = defaultPullPolicy(typeof container['image'] === 'string' ? container['image'] : '');
  }
  orderKeys(container, CONTAINER_ORDER);
}

/** SetDefaults_Pod: requests default to limits, for regular and init containers of Pods only. */
export function defaultRequestsFromLimits(container: JsonObject): void {
  const resources = container['resources'];
  if (!isObject(resources) || !isObject(resources['limits'])) return;
  if (Object.keys(resources['limits']).length === 0) return;
  const requests = objectAt(resources, 'requests');
  for (const [name, limit] of Object.entries(resources['limits'])) {
    if (!(name in requests)) requests[name] = limit;
  }
  defaultResourceList(requests);
  orderKeys(resources, RESOURCES_ORDER);
}

/** With host networking every container port is also a host port (Pods only). */
export function defaultHostNetworkPorts(container: JsonObject): void {
  for (const port of objectsAt(container, 'ports')) {
    const unset = port['hostPort'] === undefined || port['hostPort'] === null || port['hostPort'] === 0;
    if (unset && typeof port['containerPort'] === 'number' && port['containerPort'] !== 0) {
      port['hostPort'] = port['containerPort'];
      orderKeys(port, CONTAINER_PORT_ORDER);
    }
  }
}
