/**
 * Defaults of the core kinds other than Pod (Service, Secret, Namespace, Node, Endpoints) and
 * of the RBAC bindings, as pkg/apis/core/v1 and pkg/apis/rbac/v1 set them on decode.
 */
import {
  ENDPOINT_PORT_ORDER,
  ROLE_REF_ORDER,
  SERVICE_PORT_ORDER,
  SERVICE_SPEC_ORDER,
  SUBJECT_ORDER,
  TOP_LEVEL_ORDER,
  isObject,
  objectAt,
  objectsAt,
  orderKeys,
  setDefault,
  sortMapKeys,
  type JsonObject,
} from './field-order.js';
import { defaultResourceList } from './resource-list.js';

export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const RBAC_GROUP = 'rbac.authorization.k8s.io';

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** Upstream's service.ExternallyAccessible. */
export function externallyAccessible(spec: JsonObject): boolean {
  const type = spec['type'];
  const externalIPs = spec['externalIPs'];
  return (
    type === 'LoadBalancer' ||
    type === 'NodePort' ||
    (type === 'ClusterIP' && Array.isArray(externalIPs) && externalIPs.length > 0)
  );
}

export function defaultService(service: JsonObject): void {
  const spec = objectAt(service, 'spec');
  if (isEmpty(spec['sessionAffinity'])) spec['sessionAffinity'] = 'None';
  if (spec['sessionAffinity'] === 'None') delete spec['sessionAffinityConfig'];
  if (spec['sessionAffinity'] === 'ClientIP') {
    const config = spec['sessionAffinityConfig'];
    const clientIP = isObject(config) ? config['clientIP'] : undefined;
    if (!isObject(clientIP) || isEmpty(clientIP['timeoutSeconds'])) {
      spec['sessionAffinityConfig'] = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
    }
  }
  if (isEmpty(spec['type'])) spec['type'] = 'ClusterIP';
  for (const port of objectsAt(spec, 'ports')) {
    if (isEmpty(port['protocol'])) port['protocol'] = 'TCP';
    if (isEmpty(port['targetPort']) || port['targetPort'] === 0) port['targetPort'] = port['port'] ?? 0;
    orderKeys(port, SERVICE_PORT_ORDER);
  }
  if (externallyAccessible(spec) && isEmpty(spec['externalTrafficPolicy'])) spec['externalTrafficPolicy'] = 'Cluster';
  if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(String(spec['type']))) {
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (spec['type'] === 'LoadBalancer') {
    setDefault(spec, 'allocateLoadBalancerNodePorts', true);
    const status = service['status'];
    const loadBalancer = isObject(status) ? status['loadBalancer'] : undefined;
    for (const ingress of isObject(loadBalancer) ? objectsAt(loadBalancer, 'ingress') : []) {
      if (!isEmpty(ingress['ip']) && isEmpty(ingress['ipMode'])) ingress['ipMode'] = 'VIP';
    }
  }
  orderKeys(spec, SERVICE_SPEC_ORDER);
}

/** The v1→internal conversion folds stringData into data (stringData wins); the reply has no stringData. */
export function defaultSecret(secret: JsonObject): void {
  const stringData = secret['stringData'];
  if (isObject(stringData) && Object.keys(stringData).length > 0) {
    const data = objectAt(secret, 'data');
    for (const [key, value] of Object.entries(stringData)) {
      data[key] = Buffer.from(typeof value === 'string' ? value : String(value), 'utf8').toString('base64');
    }
    sortMapKeys(data);
  }
  delete secret['stringData'];
  if (isEmpty(secret['type'])) secret['type'] = 'Opaque';
  orderKeys(secret, TOP_LEVEL_ORDER);
}

export function defaultNamespace(namespace: JsonObject): void {
  const metadata = objectAt(namespace, 'metadata');
  const name = metadata['name'];
  if (typeof name === 'string' && name.length > 0) {
    const labels = objectAt(metadata, 'labels');
    labels[NAMESPACE_NAME_LABEL] = name;
  }
  const status = objectAt(namespace, 'status');
  if (isEmpty(status['phase'])) status['phase'] = 'Active';
}

/** Namespace strategy's PrepareForCreate: the `kubernetes` finalizer and an Active phase. */
export function prepareNamespaceForCreate(namespace: JsonObject): void {
  const spec = objectAt(namespace, 'spec');
  const finalizers = Array.isArray(spec['finalizers']) ? spec['finalizers'] : [];
  if (!finalizers.includes('kubernetes')) spec['finalizers'] = [...finalizers, 'kubernetes'];
  namespace['status'] = { phase: 'Active' };
}

export function defaultNode(node: JsonObject): void {
  const status = node['status'];
  if (!isObject(status)) return;
  if (isObject(status['capacity']) && (status['allocatable'] === undefined || status['allocatable'] === null)) {
    status['allocatable'] = { ...status['capacity'] };
  }
  defaultResourceList(status['capacity']);
  defaultResourceList(status['allocatable']);
}

export function defaultEndpoints(endpoints: JsonObject): void {
  for (const subset of objectsAt(endpoints, 'subsets')) {
    for (const port of objectsAt(subset, 'ports')) {
      if (isEmpty(port['protocol'])) port['protocol'] = 'TCP';
      orderKeys(port, ENDPOINT_PORT_ORDER);
    }
  }
}

export function defaultRoleBinding(binding: JsonObject): void {
  const roleRef = objectAt(binding, 'roleRef');
  if (isEmpty(roleRef['apiGroup'])) roleRef['apiGroup'] = RBAC_GROUP;
  orderKeys(roleRef, ROLE_REF_ORDER);
  for (const subject of objectsAt(binding, 'subjects')) {
    const kind = subject['kind'];
    if (isEmpty(subject['apiGroup']) && (kind === 'User' || kind === 'Group')) subject['apiGroup'] = RBAC_GROUP;
    orderKeys(subject, SUBJECT_ORDER);
  }
}

const PRIORITY_CLASS_ORDER = [...TOP_LEVEL_ORDER.filter((k) => k !== 'spec' && k !== 'status'), 'value', 'globalDefault', 'description', 'preemptionPolicy'];

/** scheduling/v1 PriorityClass: preemptionPolicy defaults to PreemptLowerPriority. */
export function defaultPriorityClass(pc: JsonObject): void {
  if (isEmpty(pc['preemptionPolicy'])) pc['preemptionPolicy'] = 'PreemptLowerPriority';
  orderKeys(pc, PRIORITY_CLASS_ORDER);
}
