/**
 * PodSpec fields besides containers and volumes: tolerations, DNS config, the pod security
 * context, host aliases, topology spread constraints, scheduling and readiness gates, and the
 * annotations with a meaning for pods.
 */
import { duplicate, invalid, notSupported, required, type FieldError } from '../field-error.js';
import type { FieldPath } from '../field-path.js';
import { isValidLabelValue } from '../names.js';
import { validateId, validateSeccompProfile } from './container-validation.js';
import { validateLabelSelector } from './label-selector-validation.js';
import {
  isObject,
  num,
  objectsOf,
  str,
  stringsOf,
  validateDNS1123Subdomain,
  validateIP,
  validateQualifiedName,
  type JsonObject,
} from './validation-util.js';

export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const SYSCTL_SEGMENT = '[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const SYSCTL_FMT = `(${SYSCTL_SEGMENT}[\\./])*${SYSCTL_SEGMENT}`;
const SYSCTL_RE = new RegExp(`^${SYSCTL_FMT}$`);

export function validateTolerations(tolerations: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objectsOf(tolerations).forEach((toleration, i) => {
    const itemPath = path.index(i);
    const key = str(toleration['key']);
    const operator = str(toleration['operator']);
    const effect = str(toleration['effect']);
    const value = str(toleration['value']);
    if (key !== '') errs.push(...validateQualifiedName(key, itemPath.child('key')));
    if (key === '' && operator !== 'Exists') {
      errs.push(
        invalid(itemPath.child('operator'), operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'),
      );
    }
    if (num(toleration['tolerationSeconds']) !== undefined && effect !== 'NoExecute') {
      errs.push(invalid(itemPath.child('effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === 'Equal' || operator === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length > 0) errs.push(invalid(itemPath.child('operator'), value, msgs.join(';')));
    } else if (operator === 'Exists') {
      if (value !== '') errs.push(invalid(itemPath.child('operator'), value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(itemPath.child('operator'), operator, ['Equal', 'Exists']));
    }
    if (effect !== '' && !TAINT_EFFECTS.includes(effect)) errs.push(notSupported(itemPath.child('effect'), effect, TAINT_EFFECTS));
  });
  return errs;
}

export function validateDNSConfig(dnsConfig: unknown, dnsPolicy: string, path: FieldPath): FieldError[] {
  if (dnsPolicy === 'None') {
    if (!isObject(dnsConfig)) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (stringsOf(dnsConfig['nameservers']).length === 0) {
      return [required(path.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
    }
  }
  if (!isObject(dnsConfig)) return [];
  const errs: FieldError[] = [];
  const nameservers = stringsOf(dnsConfig['nameservers']);
  if (nameservers.length > 3) errs.push(invalid(path.child('nameservers'), nameservers, 'must not have more than 3 nameservers'));
  nameservers.forEach((ip, i) => errs.push(...validateIP(ip, path.child('nameservers').index(i))));
  const searches = stringsOf(dnsConfig['searches']);
  if (searches.length > 32) errs.push(invalid(path.child('searches'), searches, 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) {
    errs.push(invalid(path.child('searches'), searches, 'must not have more than 2048 characters (including spaces) in the search list'));
  }
  searches.forEach((search, i) => {
    const trimmed = search.endsWith('.') ? search.slice(0, -1) : search;
    errs.push(...validateDNS1123Subdomain(trimmed, path.child('searches').index(i)));
  });
  objectsOf(dnsConfig['options']).forEach((option, i) => {
    if (str(option['name']) === '') errs.push(required(path.child('options').index(i), 'must not be empty'));
  });
  return errs;
}

export function validatePodSecurityContext(spec: JsonObject, path: FieldPath): FieldError[] {
  const context = spec['securityContext'];
  if (!isObject(context)) return [];
  const errs = [
    ...validateId(context['fsGroup'], path.child('fsGroup')),
    ...validateId(context['runAsUser'], path.child('runAsUser')),
    ...validateId(context['runAsGroup'], path.child('runAsGroup')),
  ];
  (Array.isArray(context['supplementalGroups']) ? context['supplementalGroups'] : []).forEach((gid, i) => {
    errs.push(...validateId(gid, path.child('supplementalGroups').index(i)));
  });
  if (spec['shareProcessNamespace'] === true && spec['hostPID'] === true) {
    errs.push(invalid(path.child('shareProcessNamespace'), true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  const seen = new Set<string>();
  objectsOf(context['sysctls']).forEach((sysctl, i) => {
    const name = str(sysctl['name']);
    const namePath = path.child('sysctls').index(i).child('name');
    if (name === '') errs.push(required(namePath));
    else if (name.length > 253 || !SYSCTL_RE.test(name)) {
      errs.push(invalid(namePath, name, `must have at most 253 characters and match regex ^${SYSCTL_FMT}$`));
    } else if (seen.has(name)) errs.push(duplicate(namePath, name));
    seen.add(name);
  });
  const changePolicy = context['fsGroupChangePolicy'];
  if (changePolicy !== undefined && changePolicy !== null && !['Always', 'OnRootMismatch'].includes(str(changePolicy))) {
    errs.push(notSupported(path.child('fsGroupChangePolicy'), str(changePolicy), ['Always', 'OnRootMismatch']));
  }
  return [...errs, ...validateSeccompProfile(context['seccompProfile'], path.child('seccompProfile'))];
}

export function validateHostAliases(aliases: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objectsOf(aliases).forEach((alias, i) => {
    errs.push(...validateIP(str(alias['ip']), path.index(i).child('ip')));
    stringsOf(alias['hostnames']).forEach((hostname, j) => {
      errs.push(...validateDNS1123Subdomain(hostname, path.index(i).child('hostnames').index(j)));
    });
  });
  return errs;
}

export function validateReadinessGates(gates: unknown, path: FieldPath): FieldError[] {
  return objectsOf(gates).flatMap((gate, i) => validateQualifiedName(str(gate['conditionType']), path.index(i).child('conditionType')));
}

export function validateSchedulingGates(gates: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  objectsOf(gates).forEach((gate, i) => {
    const name = str(gate['name']);
    errs.push(...validateQualifiedName(name, path.index(i)));
    if (seen.has(name)) errs.push(duplicate(path.index(i), name));
    seen.add(name);
  });
  return errs;
}

export function validateTopologySpreadConstraints(constraints: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const list = objectsOf(constraints);
  const pairOf = (c: JsonObject): string => `{${str(c['topologyKey'])}, ${str(c['whenUnsatisfiable'])}}`;
  list.forEach((constraint, i) => {
    const itemPath = path.index(i);
    const maxSkew = num(constraint['maxSkew']) ?? 0;
    if (maxSkew <= 0) errs.push(invalid(itemPath.child('maxSkew'), maxSkew, 'must be greater than zero'));
    const key = str(constraint['topologyKey']);
    if (key === '') errs.push(required(itemPath.child('topologyKey'), 'can not be empty'));
    else errs.push(...validateQualifiedName(key, itemPath.child('topologyKey')));
    const action = str(constraint['whenUnsatisfiable']);
    if (!['DoNotSchedule', 'ScheduleAnyway'].includes(action)) {
      errs.push(notSupported(itemPath.child('whenUnsatisfiable'), action, ['DoNotSchedule', 'ScheduleAnyway']));
    }
    const pair = pairOf(constraint);
    if (list.slice(i + 1).some((other) => pairOf(other) === pair)) {
      errs.push(duplicate(itemPath.child('{topologyKey, whenUnsatisfiable}'), pair));
    }
    errs.push(...validateLabelSelector(constraint['labelSelector'], itemPath.child('labelSelector')));
  });
  return errs;
}

/** ValidatePodSpecificAnnotations: the mirror-pod and pod-deletion-cost annotations. */
export function validatePodSpecificAnnotations(annotations: unknown, spec: JsonObject, path: FieldPath): FieldError[] {
  if (!isObject(annotations)) return [];
  const errs: FieldError[] = [];
  const mirror = annotations[MIRROR_POD_ANNOTATION];
  if (mirror !== undefined && str(spec['nodeName']) === '') {
    errs.push(invalid(path.key(MIRROR_POD_ANNOTATION), str(mirror), 'must set spec.nodeName if mirror pod annotation is set'));
  }
  const cost = annotations[POD_DELETION_COST];
  if (cost !== undefined) {
    const text = str(cost);
    const value = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
    if (!(value >= -(2 ** 31) && value < 2 ** 31)) errs.push(invalid(path.key(POD_DELETION_COST), text, 'must be a 32bit integer'));
  }
  return errs;
}
