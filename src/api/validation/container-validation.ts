/**
 * What every container is checked for, whatever its kind (validateContainerCommon): name,
 * image, ports, env, mounts, pull policy, resources, resize policy and security context.
 */
import { duplicate, invalid, notSupported, required, type FieldError } from '../field-error.js';
import type { FieldPath } from '../field-path.js';
import { nameIsDNSSubdomain } from '../name-validation.js';
import { ENV_FIELD_PATHS, validateObjectFieldSelector, validateResourceFieldSelector } from './downward-api.js';
import { validateResourceRequirements } from './resources-validation.js';
import {
  SUPPORTED_PORT_PROTOCOLS,
  asObject,
  inclusiveRangeError,
  isConfigMapKey,
  isObject,
  isRelaxedEnvVarName,
  isValidPortName,
  isValidPortNum,
  num,
  objectsOf,
  str,
  validateDNS1123Label,
  type JsonObject,
} from './validation-util.js';
import { validateVolumeDevices, validateVolumeMounts } from './volume-mount-validation.js';

export interface ContainerContext {
  volumes: ReadonlyMap<string, JsonObject>;
  podClaimNames: ReadonlySet<string>;
  podRestartPolicy: string;
  hostUsers: boolean;
}

const MAX_ID = 4294967295;

export function validateContainerPorts(ports: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objectsOf(ports).forEach((port, i) => {
    const portPath = path.index(i);
    const name = str(port['name']);
    if (name !== '') {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) for (const msg of msgs) errs.push(invalid(portPath.child('name'), name, msg));
      else if (names.has(name)) errs.push(duplicate(portPath.child('name'), name));
      else names.add(name);
    }
    const containerPort = num(port['containerPort']) ?? 0;
    if (containerPort === 0) errs.push(required(portPath.child('containerPort')));
    else for (const msg of isValidPortNum(containerPort)) errs.push(invalid(portPath.child('containerPort'), containerPort, msg));
    const hostPort = num(port['hostPort']) ?? 0;
    if (hostPort !== 0) for (const msg of isValidPortNum(hostPort)) errs.push(invalid(portPath.child('hostPort'), hostPort, msg));
    const protocol = str(port['protocol']);
    if (protocol === '') errs.push(required(portPath.child('protocol')));
    else if (!(SUPPORTED_PORT_PROTOCOLS as readonly string[]).includes(protocol)) {
      errs.push(notSupported(portPath.child('protocol'), protocol, SUPPORTED_PORT_PROTOCOLS));
    }
  });
  return errs;
}

function validateKeySelector(selector: JsonObject, path: FieldPath): FieldError[] {
  const name = str(selector['name']);
  const errs = nameIsDNSSubdomain(name, false).map((msg) => invalid(path.child('name'), name, msg));
  const key = str(selector['key']);
  if (key === '') errs.push(required(path.child('key')));
  else for (const msg of isConfigMapKey(key)) errs.push(invalid(path.child('key'), key, msg));
  return errs;
}

function validateEnvValueFrom(env: JsonObject, path: FieldPath): FieldError[] {
  const valueFrom = env['valueFrom'];
  if (!isObject(valueFrom)) return [];
  const errs: FieldError[] = [];
  let sources = 0;
  if (isObject(valueFrom['fieldRef'])) {
    sources++;
    errs.push(...validateObjectFieldSelector(valueFrom['fieldRef'], ENV_FIELD_PATHS, path.child('fieldRef')));
  }
  if (isObject(valueFrom['resourceFieldRef'])) {
    sources++;
    errs.push(...validateResourceFieldSelector(valueFrom['resourceFieldRef'], path.child('resourceFieldRef'), false));
  }
  for (const key of ['configMapKeyRef', 'secretKeyRef']) {
    const selector = valueFrom[key];
    if (!isObject(selector)) continue;
    sources++;
    errs.push(...validateKeySelector(selector, path.child(key)));
  }
  if (sources === 0) {
    errs.push(invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  } else if (str(env['value']) !== '') {
    errs.push(invalid(path, '', 'may not be specified when `value` is not empty'));
  } else if (sources > 1) {
    errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  }
  return errs;
}

export function validateEnv(env: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objectsOf(env).forEach((item, i) => {
    const itemPath = path.index(i);
    const name = str(item['name']);
    if (name === '') errs.push(required(itemPath.child('name')));
    else for (const msg of isRelaxedEnvVarName(name)) errs.push(invalid(itemPath.child('name'), name, msg));
    errs.push(...validateEnvValueFrom(item, itemPath.child('valueFrom')));
  });
  return errs;
}

export function validateEnvFrom(envFrom: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objectsOf(envFrom).forEach((item, i) => {
    const itemPath = path.index(i);
    const prefix = str(item['prefix']);
    if (prefix !== '') for (const msg of isRelaxedEnvVarName(prefix)) errs.push(invalid(itemPath.child('prefix'), prefix, msg));
    let sources = 0;
    for (const key of ['configMapRef', 'secretRef']) {
      const ref = item[key];
      if (!isObject(ref)) continue;
      sources++;
      const name = str(ref['name']);
      if (name === '') errs.push(required(itemPath.child(key).child('name')));
      else for (const msg of nameIsDNSSubdomain(name, true)) errs.push(invalid(itemPath.child(key).child('name'), name, msg));
    }
    if (sources === 0) errs.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateEnum(value: unknown, supported: readonly string[], path: FieldPath): FieldError[] {
  const text = str(value);
  if (text === '') return [required(path)];
  return supported.includes(text) ? [] : [notSupported(path, text, supported)];
}

function validateResizePolicy(policies: unknown, podRestartPolicy: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  objectsOf(policies).forEach((policy, i) => {
    const resource = str(policy['resourceName']);
    const restart = str(policy['restartPolicy']);
    if (seen.has(resource)) errs.push(duplicate(path.index(i), resource));
    seen.add(resource);
    if (resource === '') errs.push(required(path));
    else if (resource !== 'cpu' && resource !== 'memory') errs.push(notSupported(path, resource, ['cpu', 'memory']));
    if (restart === '') errs.push(required(path));
    else if (restart !== 'NotRequired' && restart !== 'RestartContainer') {
      errs.push(notSupported(path, restart, ['NotRequired', 'RestartContainer']));
    }
    if (podRestartPolicy === 'Never' && restart !== 'NotRequired') {
      errs.push(invalid(path, restart, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
    }
  });
  return errs;
}

export function validateId(value: unknown, path: FieldPath): FieldError[] {
  const id = num(value);
  return id !== undefined && (id < 0 || id > MAX_ID) ? [invalid(path, id, inclusiveRangeError(0, MAX_ID))] : [];
}

export function validateSeccompProfile(profile: unknown, path: FieldPath): FieldError[] {
  if (!isObject(profile)) return [];
  const type = str(profile['type']);
  const errs: FieldError[] = [];
  if (type === '') errs.push(required(path.child('type'), 'type is required when seccompProfile is set'));
  else if (!['Localhost', 'RuntimeDefault', 'Unconfined'].includes(type)) {
    errs.push(notSupported(path.child('type'), type, ['Localhost', 'RuntimeDefault', 'Unconfined']));
  }
  const localhost = profile['localhostProfile'];
  if (type === 'Localhost' && (localhost === undefined || localhost === null)) {
    errs.push(required(path.child('localhostProfile'), 'must be set when seccomp type is Localhost'));
  }
  return errs;
}

function validateSecurityContext(context: unknown, hostUsers: boolean, path: FieldPath): FieldError[] {
  if (!isObject(context)) return [];
  const errs = [...validateId(context['runAsUser'], path.child('runAsUser')), ...validateId(context['runAsGroup'], path.child('runAsGroup'))];
  const procMount = context['procMount'];
  if (procMount !== undefined && procMount !== null) {
    if (!['Default', 'Unmasked'].includes(str(procMount))) {
      errs.push(notSupported(path.child('procMount'), str(procMount), ['Default', 'Unmasked']));
    }
    if (hostUsers && procMount === 'Unmasked') {
      errs.push(invalid(path.child('procMount'), 'Unmasked', '`hostUsers` must be false to use `Unmasked`'));
    }
  }
  return [...errs, ...validateSeccompProfile(context['seccompProfile'], path.child('seccompProfile'))];
}

const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

/** Fields whose validators find nothing wrong when they are absent are skipped then. */
export function validateContainerCommon(container: JsonObject, context: ContainerContext, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(container['name']);
  if (name === '') errs.push(required(path.child('name')));
  else errs.push(...validateDNS1123Label(name, path.child('name')));
  if (str(container['image']) === '') errs.push(required(path.child('image')));
  errs.push(...validateEnum(container['terminationMessagePolicy'], TERMINATION_MESSAGE_POLICIES, path.child('terminationMessagePolicy')));
  const privileged = asObject(container['securityContext'])['privileged'] === true;
  if (container['ports'] !== undefined) errs.push(...validateContainerPorts(container['ports'], path.child('ports')));
  if (container['env'] !== undefined) errs.push(...validateEnv(container['env'], path.child('env')));
  if (container['envFrom'] !== undefined) errs.push(...validateEnvFrom(container['envFrom'], path.child('envFrom')));
  if (container['volumeMounts'] !== undefined) {
    errs.push(...validateVolumeMounts(container['volumeMounts'], container['volumeDevices'], context.volumes, privileged, path.child('volumeMounts')));
  }
  if (container['volumeDevices'] !== undefined) {
    errs.push(...validateVolumeDevices(container['volumeDevices'], container['volumeMounts'], context.volumes, path.child('volumeDevices')));
  }
  errs.push(...validateEnum(container['imagePullPolicy'], PULL_POLICIES, path.child('imagePullPolicy')));
  errs.push(...validateResourceRequirements(container['resources'], path.child('resources'), context.podClaimNames));
  if (container['resizePolicy'] !== undefined) {
    errs.push(...validateResizePolicy(container['resizePolicy'], context.podRestartPolicy, path.child('resizePolicy')));
  }
  if (container['securityContext'] !== undefined) {
    errs.push(...validateSecurityContext(container['securityContext'], context.hostUsers, path.child('securityContext')));
  }
  return errs;
}
