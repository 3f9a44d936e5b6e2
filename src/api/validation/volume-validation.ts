/**
 * Pod volumes (ValidateVolumes, validateVolumeSource). Sources are counted in upstream's order;
 * the common ones (emptyDir, hostPath, secret, configMap, PVC, downwardAPI, projected, nfs,
 * gitRepo, csi) are checked field by field.
 */
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../field-error.js';
import type { FieldPath } from '../field-path.js';
import { parseQuantityCached } from '../quantity-cache.js';
import { VOLUME_FIELD_PATHS, validateObjectFieldSelector, validateResourceFieldSelector } from './downward-api.js';
import {
  FILE_MODE_ERROR_MSG,
  isObject,
  num,
  objectsOf,
  str,
  validateDNS1123Label,
  type JsonObject,
} from './validation-util.js';

/** Source key and the path segment upstream names in its "more than 1 volume type" error. */
const SOURCES: ReadonlyArray<readonly [string, string]> = [
  ['emptyDir', 'emptyDir'],
  ['hostPath', 'hostPath'],
  ['gitRepo', 'gitRepo'],
  ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['secret', 'secret'],
  ['nfs', 'nfs'],
  ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'],
  ['persistentVolumeClaim', 'persistentVolumeClaim'],
  ['rbd', 'rbd'],
  ['cinder', 'cinder'],
  ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'],
  ['downwardAPI', 'downwarAPI'],
  ['fc', 'fc'],
  ['flexVolume', 'flexVolume'],
  ['configMap', 'configMap'],
  ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'],
  ['projected', 'projected'],
  ['scaleIO', 'scaleIO'],
  ['csi', 'csi'],
  ['ephemeral', 'ephemeral'],
  ['image', 'image'],
];
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

function validateFileMode(mode: unknown, path: FieldPath): FieldError[] {
  const value = num(mode);
  return value !== undefined && (value > 0o777 || value < 0) ? [invalid(path, value, FILE_MODE_ERROR_MSG)] : [];
}

export function validatePathNoBacksteps(target: string, path: FieldPath): FieldError[] {
  return target.split('/').includes('..') ? [invalid(path, target, "must not contain '..'")] : [];
}

export function validateLocalDescendingPath(target: string, path: FieldPath): FieldError[] {
  const errs = target.startsWith('/') ? [invalid(path, target, 'must be a relative path')] : [];
  return [...errs, ...validatePathNoBacksteps(target, path)];
}

function validateLocalNonReservedPath(target: string, path: FieldPath): FieldError[] {
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(invalid(path, target, "must not start with '..'"));
  return errs;
}

function validateKeyToPath(item: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (str(item['key']) === '') errs.push(required(path.child('key')));
  if (str(item['path']) === '') errs.push(required(path.child('path')));
  errs.push(...validateLocalNonReservedPath(str(item['path']), path.child('path')));
  return [...errs, ...validateFileMode(item['mode'], path.child('mode'))];
}

function validateKeyProjection(source: JsonObject, nameKey: string, path: FieldPath): FieldError[] {
  const errs = str(source[nameKey]) === '' ? [required(path.child(nameKey))] : [];
  errs.push(...validateFileMode(source['defaultMode'], path.child('defaultMode')));
  objectsOf(source['items']).forEach((item, i) => errs.push(...validateKeyToPath(item, path.child('items').index(i))));
  return errs;
}

function validateDownwardApiFile(file: JsonObject, path: FieldPath): FieldError[] {
  const errs = str(file['path']) === '' ? [required(path.child('path'))] : [];
  errs.push(...validateLocalNonReservedPath(str(file['path']), path.child('path')));
  if (isObject(file['fieldRef'])) {
    errs.push(...validateObjectFieldSelector(file['fieldRef'], VOLUME_FIELD_PATHS, path.child('fieldRef')));
    if (isObject(file['resourceFieldRef'])) {
      errs.push(invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    }
  } else if (isObject(file['resourceFieldRef'])) {
    errs.push(...validateResourceFieldSelector(file['resourceFieldRef'], path.child('resourceFieldRef'), true));
  } else {
    errs.push(required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  return [...errs, ...validateFileMode(file['mode'], path.child('mode'))];
}

function validateProjected(projected: JsonObject, path: FieldPath): FieldError[] {
  const errs = validateFileMode(projected['defaultMode'], path.child('defaultMode'));
  objectsOf(projected['sources']).forEach((source, i) => {
    const sourcePath = path.child('sources').index(i);
    let count = 0;
    for (const key of ['secret', 'configMap']) {
      if (!isObject(source[key])) continue;
      count++;
      const projection = source[key];
      if (str(projection['name']) === '') errs.push(required(sourcePath.child(key).child('name')));
      objectsOf(projection['items']).forEach((item, j) =>
        errs.push(...validateKeyToPath(item, sourcePath.child(key).child('items').index(j))),
      );
    }
    if (isObject(source['downwardAPI'])) {
      count++;
      for (const file of objectsOf(source['downwardAPI']['items'])) {
        errs.push(...validateDownwardApiFile(file, sourcePath.child('downwardAPI')));
      }
    }
    if (isObject(source['serviceAccountToken'])) {
      count++;
      const token = source['serviceAccountToken'];
      const seconds = num(token['expirationSeconds']) ?? 0;
      const tokenPath = sourcePath.child('serviceAccountToken').child('expirationSeconds');
      if (seconds < 600) errs.push(invalid(tokenPath, seconds, 'may not specify a duration less than 10 minutes'));
      if (seconds > 2 ** 32) errs.push(invalid(tokenPath, seconds, 'may not specify a duration larger than 2^32 seconds'));
      if (str(token['path']) === '') errs.push(required(path.child('path')));
      else errs.push(...validateLocalNonReservedPath(str(token['path']), path.child('path')));
    }
    if (isObject(source['clusterTrustBundle'])) count++;
    if (count > 1) errs.push(forbidden(sourcePath, 'may not specify more than 1 volume type per source'));
  });
  return errs;
}

function validateSourceFields(key: string, source: JsonObject, path: FieldPath): FieldError[] {
  switch (key) {
    case 'emptyDir': {
      const limit = source['sizeLimit'];
      if (limit === undefined || limit === null) return [];
      try {
        if (parseQuantityCached(str(limit)).sign() >= 0) return [];
      } catch {
        return [invalid(path.child('sizeLimit'), str(limit), 'must be a valid resource quantity')];
      }
      return [forbidden(path.child('sizeLimit'), 'SizeLimit field must be a valid resource quantity')];
    }
    case 'hostPath': {
      const hostPath = str(source['path']);
      if (hostPath === '') return [required(path.child('path'))];
      const errs = validatePathNoBacksteps(hostPath, path.child('path'));
      const type = source['type'];
      if (type !== undefined && type !== null && !HOST_PATH_TYPES.includes(str(type))) {
        errs.push(notSupported(path.child('type'), str(type), HOST_PATH_TYPES));
      }
      return errs;
    }
    case 'gitRepo': {
      const errs = str(source['repository']) === '' ? [required(path.child('repository'))] : [];
      return [...errs, ...validateLocalDescendingPath(str(source['directory']), path.child('directory'))];
    }
    case 'secret':
      return validateKeyProjection(source, 'secretName', path);
    case 'configMap':
      return validateKeyProjection(source, 'name', path);
    case 'persistentVolumeClaim':
      return str(source['claimName']) === '' ? [required(path.child('claimName'))] : [];
    case 'nfs': {
      const errs = str(source['server']) === '' ? [required(path.child('server'))] : [];
      if (str(source['path']) === '') errs.push(required(path.child('path')));
      if (!str(source['path']).startsWith('/')) errs.push(invalid(path.child('path'), str(source['path']), 'must be an absolute path'));
      return errs;
    }
    case 'downwardAPI': {
      const errs = validateFileMode(source['defaultMode'], path.child('defaultMode'));
      for (const file of objectsOf(source['items'])) errs.push(...validateDownwardApiFile(file, path));
      return errs;
    }
    case 'projected':
      return validateProjected(source, path);
    case 'csi':
      return str(source['driver']) === '' ? [required(path.child('driver'))] : [];
    default:
      return [];
  }
}

function validateVolumeSource(volume: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const [key, forbiddenName] of SOURCES) {
    const source = volume[key];
    if (!isObject(source)) continue;
    if (count > 0) {
      errs.push(forbidden(path.child(forbiddenName), 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    errs.push(...validateSourceFields(key, source, path.child(key)));
  }
  if (count === 0) errs.push(required(path, 'must specify a volume type'));
  return errs;
}

/** The volumes that passed validation, by name, and the errors. */
export function validateVolumes(volumes: unknown, path: FieldPath): { sources: Map<string, JsonObject>; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const sources = new Map<string, JsonObject>();
  objectsOf(volumes).forEach((volume, i) => {
    const volumePath = path.index(i);
    const name = str(volume['name']);
    const volumeErrs = validateVolumeSource(volume, volumePath);
    if (name === '') volumeErrs.push(required(volumePath.child('name')));
    else volumeErrs.push(...validateDNS1123Label(name, volumePath.child('name')));
    if (sources.has(name)) volumeErrs.push(duplicate(volumePath.child('name'), name));
    if (volumeErrs.length === 0) sources.set(name, volume);
    else errs.push(...volumeErrs);
  });
  return { sources, errs };
}
