/**
 * ValidatePodSpec and ValidatePodTemplateSpec, in upstream's order, with the options the v1.32
 * registry passes (relaxed env var names on; the Pod-only host port rule when `resourceIsPod`).
 */
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../field-error.js';
import type { FieldPath } from '../field-path.js';
import { nameIsDNSSubdomain } from '../name-validation.js';
import { validateAnnotations } from '../object-meta.js';
import { validateContainers, validateEphemeralContainers, validateInitContainers } from './container-list-validation.js';
import type { ContainerContext } from './container-validation.js';
import { validateLabels } from './label-selector-validation.js';
import {
  validateDNSConfig,
  validateHostAliases,
  validatePodSecurityContext,
  validatePodSpecificAnnotations,
  validateReadinessGates,
  validateSchedulingGates,
  validateTolerations,
  validateTopologySpreadConstraints,
} from './pod-fields-validation.js';
import { validateResourceRequirements } from './resources-validation.js';
import {
  asObject,
  inclusiveRangeError,
  isObject,
  num,
  objectsOf,
  str,
  stringMap,
  validateDNS1123Label,
  type JsonObject,
} from './validation-util.js';
import { validateVolumes } from './volume-validation.js';

export interface PodSpecOptions {
  /** The PodSpec is a Pod's, not a template's. */
  resourceIsPod: boolean;
}

const MAX_INT32 = 2147483647;
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];

function validateEnum(value: unknown, supported: readonly string[], path: FieldPath): FieldError[] {
  const text = str(value);
  if (text === '') return [required(path)];
  return supported.includes(text) ? [] : [notSupported(path, text, supported)];
}

function validateResourceClaims(claims: unknown, path: FieldPath): { names: Set<string>; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objectsOf(claims).forEach((claim, i) => {
    const claimPath = path.index(i);
    const name = str(claim['name']);
    if (name === '') errs.push(required(claimPath.child('name')));
    else if (names.has(name)) errs.push(duplicate(claimPath.child('name'), name));
    else {
      errs.push(...validateDNS1123Label(name, claimPath.child('name')));
      names.add(name);
    }
  });
  return { names, errs };
}

function validateHostNetworkPorts(spec: JsonObject, path: FieldPath, options: PodSpecOptions): FieldError[] {
  if (spec['hostNetwork'] !== true) return [];
  const errs: FieldError[] = [];
  objectsOf(spec['containers']).forEach((container, i) => {
    objectsOf(container['ports']).forEach((port, j) => {
      const hostPort = num(port['hostPort']) ?? 0;
      const containerPort = num(port['containerPort']) ?? 0;
      if ((options.resourceIsPod || hostPort !== 0) && hostPort !== containerPort) {
        const portPath = path.child('containers').index(i).child('ports').index(j).child('hostPort');
        errs.push(invalid(portPath, hostPort, 'must match `containerPort` when `hostNetwork` is true'));
      }
    });
  });
  return errs;
}

function validateSubdomainName(value: unknown, path: FieldPath): FieldError[] {
  const name = str(value);
  return name === '' ? [] : nameIsDNSSubdomain(name, false).map((msg) => invalid(path, name, msg));
}

function validateOS(os: unknown, path: FieldPath): FieldError[] {
  if (!isObject(os)) return [];
  const name = str(os['name']);
  if (name === '') return [required(path.child('name'))];
  return ['linux', 'windows'].includes(name) ? [] : [notSupported(path.child('name'), name, ['linux', 'windows'])];
}

const HOST_NAME_FIELDS = ['hostname', 'subdomain'] as const;

function validateNodeSelector(value: unknown, path: FieldPath): FieldError[] {
  return validateLabels(stringMap(value), path);
}

/**
 * Runs a field's validator unless the field is absent; used only for validators that find
 * nothing wrong with an absent field, so as not to build their paths and results for nothing.
 */
function ifPresent(
  errs: FieldError[],
  spec: JsonObject,
  key: string,
  path: FieldPath,
  validate: (value: unknown, path: FieldPath) => FieldError[],
): void {
  const value = spec[key];
  if (value !== undefined) errs.push(...validate(value, path.child(key)));
}

export function validatePodSpec(spec: JsonObject, path: FieldPath, options: PodSpecOptions): FieldError[] {
  const errs: FieldError[] = [];
  const gracePeriod = num(spec['terminationGracePeriodSeconds']);
  if (gracePeriod === undefined) errs.push(required(path.child('terminationGracePeriodSeconds')));
  const hostUsers = asObject(spec['securityContext'])['hostUsers'] !== false;
  const volumes = validateVolumes(spec['volumes'], path.child('volumes'));
  errs.push(...volumes.errs);
  const claims = validateResourceClaims(spec['resourceClaims'], path.child('resourceClaims'));
  errs.push(...claims.errs);
  const context: ContainerContext = {
    volumes: volumes.sources,
    podClaimNames: claims.names,
    podRestartPolicy: str(spec['restartPolicy']),
    hostUsers,
  };
  errs.push(...validateContainers(spec['containers'], context, gracePeriod, path.child('containers')));
  errs.push(...validateInitContainers(spec['initContainers'], spec['containers'], context, gracePeriod, path.child('initContainers')));
  errs.push(
    ...validateEphemeralContainers(spec['ephemeralContainers'], spec['containers'], spec['initContainers'], context, path.child('ephemeralContainers')),
  );
  errs.push(...validateHostNetworkPorts(spec, path, options));
  errs.push(...validateEnum(spec['restartPolicy'], RESTART_POLICIES, path.child('restartPolicy')));
  errs.push(...validateEnum(spec['dnsPolicy'], DNS_POLICIES, path.child('dnsPolicy')));
  ifPresent(errs, spec, 'nodeSelector', path, validateNodeSelector);
  errs.push(...validatePodSecurityContext(spec, path.child('securityContext')));
  if (spec['dnsConfig'] !== undefined || str(spec['dnsPolicy']) === 'None') {
    errs.push(...validateDNSConfig(spec['dnsConfig'], str(spec['dnsPolicy']), path.child('dnsConfig')));
  }
  ifPresent(errs, spec, 'readinessGates', path, validateReadinessGates);
  ifPresent(errs, spec, 'schedulingGates', path, validateSchedulingGates);
  ifPresent(errs, spec, 'topologySpreadConstraints', path, validateTopologySpreadConstraints);
  ifPresent(errs, spec, 'serviceAccountName', path, validateSubdomainName);
  ifPresent(errs, spec, 'nodeName', path, validateSubdomainName);
  const deadline = num(spec['activeDeadlineSeconds']);
  if (deadline !== undefined && (deadline < 1 || deadline > MAX_INT32)) {
    errs.push(invalid(path.child('activeDeadlineSeconds'), deadline, inclusiveRangeError(1, MAX_INT32)));
  }
  for (const key of HOST_NAME_FIELDS) {
    if (str(spec[key]) !== '') errs.push(...validateDNS1123Label(str(spec[key]), path.child(key)));
  }
  ifPresent(errs, spec, 'tolerations', path, validateTolerations);
  ifPresent(errs, spec, 'hostAliases', path, validateHostAliases);
  ifPresent(errs, spec, 'priorityClassName', path, validateSubdomainName);
  if (spec['runtimeClassName'] !== undefined && spec['runtimeClassName'] !== null) {
    const runtimeClass = str(spec['runtimeClassName']);
    errs.push(...nameIsDNSSubdomain(runtimeClass, false).map((msg) => invalid(path.child('runtimeClassName'), runtimeClass, msg)));
  }
  if (spec['preemptionPolicy'] !== undefined && spec['preemptionPolicy'] !== null) {
    errs.push(...validateEnum(spec['preemptionPolicy'], ['PreemptLowerPriority', 'Never'], path.child('preemptionPolicy')));
  }
  if (isObject(spec['overhead'])) {
    errs.push(...validateResourceRequirements({ limits: spec['overhead'] }, path.child('overhead')));
  }
  ifPresent(errs, spec, 'os', path, validateOS);
  return errs;
}

/** ValidatePodTemplateSpec; note upstream's `template.labels` path (not `template.metadata.labels`). */
export function validatePodTemplateSpec(template: JsonObject, path: FieldPath): FieldError[] {
  const metadata = asObject(template['metadata']);
  const spec = asObject(template['spec']);
  const errs = [
    ...validateLabels(stringMap(metadata['labels']), path.child('labels')),
    ...validateAnnotations(stringMap(metadata['annotations']), path.child('annotations')),
    ...validatePodSpecificAnnotations(metadata['annotations'], spec, path.child('annotations')),
    ...validatePodSpec(spec, path.child('spec'), { resourceIsPod: false }),
  ];
  if (objectsOf(spec['ephemeralContainers']).length > 0) {
    errs.push(forbidden(path.child('spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}
