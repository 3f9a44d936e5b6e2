/**
 * The three container lists of a PodSpec (validateContainers, validateInitContainers,
 * validateEphemeralContainers): unique names, probes and lifecycle hooks, host port conflicts.
 */
import { OMIT_VALUE, duplicate, forbidden, invalid, notFound, notSupported, required, type FieldError } from '../field-error.js';
import type { FieldPath } from '../field-path.js';
import { validateContainerCommon, type ContainerContext } from './container-validation.js';
import {
  isHTTPHeaderName,
  isObject,
  isValidPortName,
  isValidPortNum,
  num,
  objectsOf,
  str,
  validateNonnegativeField,
  type JsonObject,
} from './validation-util.js';

function validatePortNumOrName(port: unknown, path: FieldPath): FieldError[] {
  if (typeof port === 'string') return isValidPortName(port).map((msg) => invalid(path, port, msg));
  const value = typeof port === 'number' ? port : 0;
  return isValidPortNum(value).map((msg) => invalid(path, value, msg));
}

function validateHandler(handler: JsonObject, keys: readonly string[], gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const key of keys) {
    const action = handler[key];
    if (!isObject(action)) continue;
    if (count > 0) {
      errs.push(forbidden(path.child(key), 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    const actionPath = path.child(key);
    if (key === 'exec' && !(Array.isArray(action['command']) && action['command'].length > 0)) {
      errs.push(required(actionPath.child('command')));
    }
    if (key === 'httpGet') {
      if (str(action['path']) === '') errs.push(required(actionPath.child('path')));
      errs.push(...validatePortNumOrName(action['port'], actionPath.child('port')));
      const scheme = str(action['scheme']);
      if (scheme !== 'HTTP' && scheme !== 'HTTPS') errs.push(notSupported(actionPath.child('scheme'), scheme, ['HTTP', 'HTTPS']));
      for (const header of objectsOf(action['httpHeaders'])) {
        const name = str(header['name']);
        for (const msg of isHTTPHeaderName(name)) errs.push(invalid(actionPath.child('httpHeaders'), name, msg));
      }
    }
    if (key === 'tcpSocket') errs.push(...validatePortNumOrName(action['port'], actionPath.child('port')));
    if (key === 'grpc') errs.push(...validatePortNumOrName(num(action['port']) ?? 0, actionPath.child('port')));
    if (key === 'sleep' && gracePeriod !== undefined) {
      const seconds = num(action['seconds']) ?? 0;
      if (seconds <= 0 || seconds > gracePeriod) {
        errs.push(
          invalid(
            actionPath,
            seconds,
            `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
          ),
        );
      }
    }
  }
  if (count === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

const PROBE_KINDS: readonly ProbeKind[] = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];
const LIFECYCLE_HOOKS = ['postStart', 'preStop'];
const PROBE_NUMBERS = ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'];

function validateProbe(probe: unknown, kind: ProbeKind, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  if (!isObject(probe)) return [];
  const errs = validateHandler(probe, PROBE_HANDLERS, gracePeriod, path);
  for (const field of PROBE_NUMBERS) {
    const value = num(probe[field]) ?? 0;
    if (value < 0) errs.push(...validateNonnegativeField(value, path.child(field)));
  }
  const probeGrace = num(probe['terminationGracePeriodSeconds']);
  if (probeGrace !== undefined && probeGrace <= 0) {
    errs.push(invalid(path.child('terminationGracePeriodSeconds'), probeGrace, 'must be greater than 0'));
  }
  if (kind === 'readinessProbe') {
    if (probeGrace !== undefined) {
      errs.push(invalid(path.child('terminationGracePeriodSeconds'), probeGrace, 'must not be set for readinessProbes'));
    }
  } else if ((num(probe['successThreshold']) ?? 0) !== 1) {
    errs.push(invalid(path.child('successThreshold'), num(probe['successThreshold']) ?? 0, 'must be 1'));
  }
  return errs;
}

function validateProbesAndLifecycle(container: JsonObject, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const lifecycle = container['lifecycle'];
  if (isObject(lifecycle)) {
    for (const hook of LIFECYCLE_HOOKS) {
      const handler = lifecycle[hook];
      if (isObject(handler)) {
        errs.push(...validateHandler(handler, LIFECYCLE_HANDLERS, gracePeriod, path.child('lifecycle').child(hook)));
      }
    }
  }
  for (const kind of PROBE_KINDS) {
    if (isObject(container[kind])) errs.push(...validateProbe(container[kind], kind, gracePeriod, path.child(kind)));
  }
  return errs;
}

/**
 * Host ports must be unique by protocol, host IP and port (AccumulateUniqueHostPorts). Init
 * containers are checked one at a time, so upstream reports them all at index 0.
 */
function checkHostPortConflicts(containers: readonly JsonObject[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((container, i) => {
    objectsOf(container['ports']).forEach((port, j) => {
      const hostPort = num(port['hostPort']) ?? 0;
      if (hostPort === 0) return;
      const key = `${str(port['protocol'])}/${str(port['hostIP'])}/${hostPort}`;
      const portPath = path.index(i).child('ports').index(j).child('hostPort');
      if (seen.has(key)) errs.push(duplicate(portPath, key));
      else seen.add(key);
    });
  });
  return errs;
}

export function validateContainers(containers: unknown, context: ContainerContext, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  const list = objectsOf(containers);
  if (list.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((container, i) => {
    const containerPath = path.index(i);
    errs.push(...validateContainerCommon(container, context, containerPath));
    const name = str(container['name']);
    if (names.has(name)) errs.push(duplicate(containerPath.child('name'), name));
    else names.add(name);
    errs.push(...validateProbesAndLifecycle(container, gracePeriod, containerPath));
    if (container['restartPolicy'] !== undefined && container['restartPolicy'] !== null) {
      errs.push(forbidden(containerPath.child('restartPolicy'), 'may not be set for non-init containers'));
    }
  });
  return [...errs, ...checkHostPortConflicts(list, path)];
}

export function validateInitContainers(
  initContainers: unknown,
  containers: unknown,
  context: ContainerContext,
  gracePeriod: number | undefined,
  path: FieldPath,
): FieldError[] {
  const list = objectsOf(initContainers);
  if (list.length === 0) return [];
  const errs: FieldError[] = [];
  const names = new Set(objectsOf(containers).map((c) => str(c['name'])));
  list.forEach((container, i) => {
    const containerPath = path.index(i);
    errs.push(...validateContainerCommon(container, context, containerPath));
    const restartPolicy = container['restartPolicy'];
    const restartAlways = restartPolicy === 'Always';
    if (restartPolicy !== undefined && restartPolicy !== null && !restartAlways) {
      errs.push(notSupported(containerPath.child('restartPolicy'), str(restartPolicy), ['Always']));
    }
    const name = str(container['name']);
    if (names.has(name)) errs.push(duplicate(containerPath.child('name'), name));
    else if (name !== '') names.add(name);
    errs.push(...checkHostPortConflicts([container], path));
    if (restartAlways) errs.push(...validateProbesAndLifecycle(container, gracePeriod, containerPath));
    else {
      for (const field of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (isObject(container[field])) {
          errs.push(forbidden(containerPath.child(field), 'may not be set for init containers without restartPolicy=Always'));
        }
      }
    }
    if (objectsOf(container['resizePolicy']).length > 0) {
      errs.push(invalid(containerPath.child('resizePolicy'), OMIT_VALUE, 'must not be set for init containers'));
    }
  });
  return errs;
}

const EPHEMERAL_FORBIDDEN_FIELDS = [
  'ports',
  'resources',
  'resizePolicy',
  'restartPolicy',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
];

function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  return !isObject(value) || Object.values(value).some(isSet);
}

export function validateEphemeralContainers(
  ephemeral: unknown,
  containers: unknown,
  initContainers: unknown,
  context: ContainerContext,
  path: FieldPath,
): FieldError[] {
  const list = objectsOf(ephemeral);
  if (list.length === 0) return [];
  const errs: FieldError[] = [];
  const others = new Set([...objectsOf(containers), ...objectsOf(initContainers)].map((c) => str(c['name'])));
  const names = new Set(others);
  list.forEach((container, i) => {
    const containerPath = path.index(i);
    errs.push(...validateContainerCommon(container, context, containerPath));
    const image = str(container['image']);
    if (image.trim() !== image) errs.push(invalid(containerPath.child('image'), image, 'must not have leading or trailing whitespace'));
    const name = str(container['name']);
    if (names.has(name)) errs.push(duplicate(containerPath.child('name'), name));
    else names.add(name);
    const target = str(container['targetContainerName']);
    if (target !== '' && !others.has(target)) errs.push(notFound(containerPath.child('targetContainerName'), target));
    for (const field of EPHEMERAL_FORBIDDEN_FIELDS) {
      if (isSet(container[field])) errs.push(forbidden(containerPath.child(field), 'cannot be set for an Ephemeral Container'));
    }
    objectsOf(container['volumeMounts']).forEach((mount, j) => {
      for (const field of ['subPath', 'subPathExpr']) {
        if (str(mount[field]) !== '') {
          errs.push(forbidden(containerPath.child('volumeMounts').index(j).child(field), 'cannot be set for an Ephemeral Container'));
        }
      }
    });
  });
  return errs;
}
