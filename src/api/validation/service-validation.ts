/**
 * Service (ValidateService, ValidateServiceUpdate) and Endpoints validation. Address
 * allocation (clusterIPs, ipFamilies, nodePorts, healthCheckNodePort) is the registry's and is
 * expected to have happened before these run, as in kube-apiserver.
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { GoStringer, duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../field-error.js';
import { FieldPath } from '../field-path.js';
import { goQuote } from '../go-format.js';
import { nameIsDNS1035Label, nameIsDNSSubdomain } from '../name-validation.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../object-meta.js';
import { validateLabels } from './label-selector-validation.js';
import { isHeadless, validateCIDR, validateClusterIPFields, validateClusterIPsUpdate, validateNonSpecialIP } from './service-ip-validation.js';
import {
  SUPPORTED_PORT_PROTOCOLS,
  asObject,
  isObject,
  isValidPortName,
  isValidPortNum,
  num,
  objectsOf,
  str,
  stringMap,
  stringsOf,
  validateDNS1123Label,
  validateDNS1123Subdomain,
  validateIP,
  validateQualifiedName,
  type JsonObject,
} from './validation-util.js';

const SPEC = FieldPath.of('spec');
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;
const TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints';
const TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';

function metaOf(obj: JsonObject): ObjectMeta {
  return asObject(obj['metadata']) as ObjectMeta;
}

function validatePortNumOrName(port: unknown, path: FieldPath): FieldError[] {
  if (typeof port === 'string') return isValidPortName(port).map((msg) => invalid(path, port, msg));
  const value = typeof port === 'number' ? port : 0;
  return isValidPortNum(value).map((msg) => invalid(path, value, msg));
}

function validateProtocol(protocol: string, path: FieldPath): FieldError[] {
  if (protocol === '') return [required(path)];
  return (SUPPORTED_PORT_PROTOCOLS as readonly string[]).includes(protocol) ? [] : [notSupported(path, protocol, SUPPORTED_PORT_PROTOCOLS)];
}

function validateServicePort(port: JsonObject, requireName: boolean, names: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(port['name']);
  if (requireName && name === '') errs.push(required(path.child('name')));
  else if (name !== '') {
    errs.push(...validateDNS1123Label(name, path.child('name')));
    if (names.has(name)) errs.push(duplicate(path.child('name'), name));
    else names.add(name);
  }
  const number = num(port['port']) ?? 0;
  errs.push(...isValidPortNum(number).map((msg) => invalid(path.child('port'), number, msg)));
  errs.push(...validateProtocol(str(port['protocol']), path.child('protocol')));
  errs.push(...validatePortNumOrName(port['targetPort'], path.child('targetPort')));
  if (port['appProtocol'] !== undefined && port['appProtocol'] !== null) {
    errs.push(...validateQualifiedName(str(port['appProtocol']), path.child('appProtocol')));
  }
  return errs;
}

/** The (protocol, port) key upstream prints as a whole core.ServicePort. */
function goServicePort(protocol: string, port: number): GoStringer {
  return new GoStringer(
    `core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
  );
}

function validateSessionAffinity(spec: JsonObject): FieldError[] {
  const affinity = str(spec['sessionAffinity']);
  const configPath = SPEC.child('sessionAffinityConfig');
  if (affinity === '') return [required(SPEC.child('sessionAffinity'))];
  if (affinity !== 'ClientIP' && affinity !== 'None') return [notSupported(SPEC.child('sessionAffinity'), affinity, ['ClientIP', 'None'])];
  const config = spec['sessionAffinityConfig'];
  if (affinity === 'None') {
    return isObject(config) ? [forbidden(configPath, 'must not be set when session affinity is None')] : [];
  }
  const when = 'when session affinity type is ClientIP';
  if (!isObject(config)) return [required(configPath, when)];
  const clientIP = config['clientIP'];
  if (!isObject(clientIP)) return [required(configPath.child('clientIP'), when)];
  const timeout = num(clientIP['timeoutSeconds']);
  const timeoutPath = configPath.child('clientIP', 'timeoutSeconds');
  if (timeout === undefined) return [required(timeoutPath, when)];
  return timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS
    ? [invalid(timeoutPath, timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`)]
    : [];
}

function validateTrafficPolicies(spec: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(spec['type']);
  const accessible = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && stringsOf(spec['externalIPs']).length > 0);
  const external = str(spec['externalTrafficPolicy']);
  if (!accessible) {
    if (external !== '') errs.push(invalid(SPEC.child('externalTrafficPolicy'), external, 'may only be set for externally-accessible services'));
  } else if (external === '') errs.push(required(SPEC.child('externalTrafficPolicy')));
  else if (external !== 'Cluster' && external !== 'Local') {
    errs.push(notSupported(SPEC.child('externalTrafficPolicy'), external, ['Cluster', 'Local']));
  }
  const healthCheck = num(spec['healthCheckNodePort']) ?? 0;
  const hcPath = SPEC.child('healthCheckNodePort');
  if (!(type === 'LoadBalancer' && external === 'Local')) {
    if (healthCheck !== 0) {
      errs.push(invalid(hcPath, healthCheck, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
  } else if (healthCheck === 0) errs.push(required(hcPath));
  else errs.push(...isValidPortNum(healthCheck).map((msg) => invalid(hcPath, healthCheck, msg)));
  const internal = spec['internalTrafficPolicy'];
  if (internal === undefined || internal === null) {
    if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(type)) errs.push(required(SPEC.child('internalTrafficPolicy')));
  } else if (!['Cluster', 'Local'].includes(str(internal))) {
    errs.push(notSupported(SPEC.child('internalTrafficPolicy'), str(internal), ['Cluster', 'Local']));
  }
  const distribution = spec['trafficDistribution'];
  if (distribution !== undefined && distribution !== null && distribution !== 'PreferClose') {
    errs.push(notSupported(SPEC.child('trafficDistribution'), str(distribution), ['PreferClose']));
  }
  return errs;
}

function validateTypeSpecifics(spec: JsonObject): FieldError[] {
  const type = str(spec['type']);
  const clusterIPs = stringsOf(spec['clusterIPs']);
  if ((type === 'LoadBalancer' || type === 'NodePort') && isHeadless(spec)) {
    return [invalid(SPEC.child('clusterIPs').index(0), clusterIPs[0] ?? '', `may not be set to 'None' for ${type} services`)];
  }
  if (type !== 'ExternalName') return [];
  const errs: FieldError[] = [];
  if (clusterIPs.length > 0) errs.push(forbidden(SPEC.child('clusterIPs'), 'may not be set for ExternalName services'));
  if (stringsOf(spec['ipFamilies']).length > 0) errs.push(forbidden(SPEC.child('ipFamilies'), 'may not be set for ExternalName services'));
  if (spec['ipFamilyPolicy'] !== undefined && spec['ipFamilyPolicy'] !== null) {
    errs.push(forbidden(SPEC.child('ipFamilyPolicy'), 'may not be set for ExternalName services'));
  }
  const cname = str(spec['externalName']).replace(/\.$/, '');
  errs.push(...(cname !== '' ? validateDNS1123Subdomain(cname, SPEC.child('externalName')) : [required(SPEC.child('externalName'))]));
  return errs;
}

function validatePortSets(spec: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const ports = objectsOf(spec['ports']);
  const portsPath = SPEC.child('ports');
  if (spec['type'] === 'ClusterIP') {
    ports.forEach((port, i) => {
      if ((num(port['nodePort']) ?? 0) !== 0) errs.push(forbidden(portsPath.index(i).child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((port, i) => {
    const nodePort = num(port['nodePort']) ?? 0;
    if (nodePort === 0) return;
    const key = `${str(port['protocol'])}/${nodePort}`;
    if (nodePorts.has(key)) errs.push(duplicate(portsPath.index(i).child('nodePort'), nodePort));
    nodePorts.add(key);
  });
  const keys = new Set<string>();
  ports.forEach((port, i) => {
    const key = `${str(port['protocol'])}/${num(port['port']) ?? 0}`;
    if (keys.has(key)) errs.push(duplicate(portsPath.index(i), goServicePort(str(port['protocol']), num(port['port']) ?? 0)));
    keys.add(key);
  });
  return errs;
}

function validateLoadBalancerFields(spec: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const isLB = spec['type'] === 'LoadBalancer';
  const ranges = stringsOf(spec['loadBalancerSourceRanges']);
  if (ranges.length > 0) {
    const path = SPEC.child('LoadBalancerSourceRanges');
    if (!isLB) errs.push(forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((range, i) => errs.push(...validateCIDR(range.trim(), path.index(i))));
  }
  const allocate = spec['allocateLoadBalancerNodePorts'];
  if (allocate !== undefined && allocate !== null && !isLB) {
    errs.push(forbidden(SPEC.child('allocateLoadBalancerNodePorts'), "may only be used when `type` is 'LoadBalancer'"));
  }
  if (isLB && (allocate === undefined || allocate === null)) errs.push(required(FieldPath.of('allocateLoadBalancerNodePorts')));
  const lbClass = spec['loadBalancerClass'];
  if (lbClass !== undefined && lbClass !== null) {
    if (!isLB) errs.push(forbidden(SPEC.child('loadBalancerClass'), "may only be used when `type` is 'LoadBalancer'"));
    else errs.push(...validateQualifiedName(str(lbClass), SPEC.child('loadBalancerClass')));
  }
  return errs;
}

export function validateService(service: JsonObject): FieldError[] {
  const meta = metaOf(service);
  const errs = validateObjectMeta(meta, { requiresNamespace: true, nameValidator: nameIsDNS1035Label });
  const annotations = asObject(meta.annotations);
  if (TOPOLOGY_HINTS in annotations && TOPOLOGY_MODE in annotations && annotations[TOPOLOGY_HINTS] !== annotations[TOPOLOGY_MODE]) {
    const path = FieldPath.of('metadata', 'annotations').key(TOPOLOGY_MODE);
    errs.push(invalid(path, str(annotations[TOPOLOGY_MODE]), `must match annotations[${TOPOLOGY_HINTS}] when both are specified`));
  }
  const spec = asObject(service['spec']);
  const ports = objectsOf(spec['ports']);
  if (ports.length === 0 && !isHeadless(spec) && spec['type'] !== 'ExternalName') errs.push(required(SPEC.child('ports')));
  errs.push(...validateTypeSpecifics(spec));
  const names = new Set<string>();
  ports.forEach((port, i) => errs.push(...validateServicePort(port, ports.length > 1, names, SPEC.child('ports').index(i))));
  if (isObject(spec['selector'])) errs.push(...validateLabels(stringMap(spec['selector']), SPEC.child('selector')));
  errs.push(...validateSessionAffinity(spec), ...validateClusterIPFields(spec));
  stringsOf(spec['externalIPs']).forEach((ip, i) => {
    const ipErrs = validateIP(ip, SPEC.child('externalIPs').index(i));
    errs.push(...(ipErrs.length > 0 ? ipErrs : validateNonSpecialIP(ip, SPEC.child('externalIPs').index(i))));
  });
  const type = str(spec['type']);
  if (type === '') errs.push(required(SPEC.child('type')));
  else if (!SERVICE_TYPES.includes(type)) errs.push(notSupported(SPEC.child('type'), type, SERVICE_TYPES));
  return [...errs, ...validatePortSets(spec), ...validateLoadBalancerFields(spec), ...validateTrafficPolicies(spec)];
}

export function validateServiceUpdate(service: JsonObject, old: JsonObject): FieldError[] {
  const spec = asObject(service['spec']);
  const oldSpec = asObject(old['spec']);
  const errs = [...validateObjectMetaUpdate(metaOf(service), metaOf(old)), ...validateClusterIPsUpdate(spec, oldSpec)];
  const sameClass = (oldSpec['loadBalancerClass'] ?? null) === (spec['loadBalancerClass'] ?? null);
  if (oldSpec['type'] === 'LoadBalancer' && spec['type'] === 'LoadBalancer' && !sameClass) {
    errs.push(invalid(SPEC.child('loadBalancerClass'), spec['loadBalancerClass'] ?? null, 'may not change once set'));
  }
  const needsHealthCheck = (s: JsonObject): boolean => s['type'] === 'LoadBalancer' && s['externalTrafficPolicy'] === 'Local';
  if (needsHealthCheck(spec) && needsHealthCheck(oldSpec) && spec['healthCheckNodePort'] !== oldSpec['healthCheckNodePort']) {
    errs.push(forbidden(SPEC.child('healthCheckNodePort'), 'field is immutable'));
  }
  return [...errs, ...validateService(service)];
}

function validateEndpointsObject(endpoints: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  objectsOf(endpoints['subsets']).forEach((subset, i) => {
    const path = FieldPath.of('subsets').index(i);
    const addresses = objectsOf(subset['addresses']);
    const notReady = objectsOf(subset['notReadyAddresses']);
    if (addresses.length === 0 && notReady.length === 0) errs.push(required(path, 'must specify `addresses` or `notReadyAddresses`'));
    const validateAddress = (address: JsonObject, addressPath: FieldPath): void => {
      const ip = str(address['ip']);
      errs.push(...validateIP(ip, addressPath.child('ip')));
      if (str(address['hostname']) !== '') errs.push(...validateDNS1123Label(str(address['hostname']), addressPath.child('hostname')));
      if (address['nodeName'] !== undefined && address['nodeName'] !== null) {
        const node = str(address['nodeName']);
        errs.push(...nameIsDNSSubdomain(node, false).map((msg) => invalid(addressPath.child('nodeName'), node, msg)));
      }
      errs.push(...validateNonSpecialIP(ip, addressPath.child('ip')));
    };
    addresses.forEach((address, j) => validateAddress(address, path.child('addresses').index(j)));
    notReady.forEach((address, j) => validateAddress(address, path.child('notReadyAddresses').index(j)));
    const ports = objectsOf(subset['ports']);
    ports.forEach((port, j) => {
      const portPath = path.child('ports').index(j);
      const name = str(port['name']);
      if (ports.length > 1 && name === '') errs.push(required(portPath.child('name')));
      else if (name !== '') errs.push(...validateDNS1123Label(name, portPath.child('name')));
      const number = num(port['port']) ?? 0;
      errs.push(...isValidPortNum(number).map((msg) => invalid(portPath.child('port'), number, msg)));
      errs.push(...validateProtocol(str(port['protocol']), portPath.child('protocol')));
      if (port['appProtocol'] !== undefined && port['appProtocol'] !== null) {
        errs.push(...validateQualifiedName(str(port['appProtocol']), portPath.child('appProtocol')));
      }
    });
  });
  return errs;
}

export function validateEndpoints(endpoints: JsonObject): FieldError[] {
  const errs = validateObjectMeta(metaOf(endpoints), { requiresNamespace: true, nameValidator: nameIsDNSSubdomain });
  return [...errs, ...validateEndpointsObject(endpoints)];
}

export function validateEndpointsUpdate(endpoints: JsonObject, old: JsonObject): FieldError[] {
  return [...validateObjectMetaUpdate(metaOf(endpoints), metaOf(old)), ...validateEndpoints(endpoints)];
}
