/**
 * The mounts that refer to a pod's volumes (ValidateVolumeMounts, ValidateVolumeDevices).
 */
import { forbidden, invalid, notFound, notSupported, required, type FieldError } from '../field-error.js';
import type { FieldPath } from '../field-path.js';
import { isObject, objectsOf, str, type JsonObject } from './validation-util.js';
import { validateLocalDescendingPath } from './volume-validation.js';

export function validateVolumeMounts(
  mounts: unknown,
  devices: unknown,
  volumes: ReadonlyMap<string, JsonObject>,
  privileged: boolean,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const devicesByName = new Map(objectsOf(devices).map((d) => [str(d['name']), str(d['devicePath'])]));
  const mountPoints = new Set<string>();
  objectsOf(mounts).forEach((mount, i) => {
    const mountPath = path.index(i);
    const name = str(mount['name']);
    const target = str(mount['mountPath']);
    if (name === '') errs.push(required(mountPath.child('name')));
    if (!volumes.has(name)) errs.push(notFound(mountPath.child('name'), name));
    if (target === '') errs.push(required(mountPath.child('mountPath')));
    if (mountPoints.has(target)) errs.push(invalid(mountPath.child('mountPath'), target, 'must be unique'));
    mountPoints.add(target);
    if (devicesByName.has(name)) errs.push(invalid(mountPath.child('name'), name, 'must not already exist in volumeDevices'));
    if ([...devicesByName.values()].includes(target)) {
      errs.push(invalid(mountPath.child('mountPath'), target, 'must not already exist as a path in volumeDevices'));
    }
    const subPath = str(mount['subPath']);
    const subPathExpr = str(mount['subPathExpr']);
    if (subPath !== '') errs.push(...validateLocalDescendingPath(subPath, path.child('subPath')));
    if (subPathExpr !== '') {
      if (subPath !== '') {
        errs.push(invalid(mountPath.child('subPathExpr'), subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      }
      errs.push(...validateLocalDescendingPath(subPathExpr, path.child('subPathExpr')));
    }
    const propagation = mount['mountPropagation'];
    if (propagation !== undefined && propagation !== null) {
      const value = str(propagation);
      if (!['Bidirectional', 'HostToContainer', 'None'].includes(value)) {
        errs.push(notSupported(path.child('mountPropagation'), value, ['Bidirectional', 'HostToContainer', 'None']));
      }
      if (value === 'Bidirectional' && !privileged) {
        errs.push(forbidden(path.child('mountPropagation'), 'Bidirectional mount propagation is available only to privileged containers'));
      }
    }
  });
  return errs;
}

export function validateVolumeDevices(devices: unknown, mounts: unknown, volumes: ReadonlyMap<string, JsonObject>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mountsByName = new Map(objectsOf(mounts).map((m) => [str(m['name']), str(m['mountPath'])]));
  const names = new Set<string>();
  const paths = new Set<string>();
  objectsOf(devices).forEach((device, i) => {
    const devicePath = path.index(i);
    const name = str(device['name']);
    const target = str(device['devicePath']);
    const volume = volumes.get(name);
    if (name === '') errs.push(required(devicePath.child('name')));
    if (names.has(name)) errs.push(invalid(devicePath.child('name'), name, 'must be unique'));
    if (volume && !isObject(volume['persistentVolumeClaim']) && !isObject(volume['ephemeral'])) {
      errs.push(invalid(devicePath.child('name'), name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    }
    if (!volume) errs.push(notFound(devicePath.child('name'), name));
    if (target === '') errs.push(required(devicePath.child('devicePath')));
    if (paths.has(target)) errs.push(invalid(devicePath.child('devicePath'), target, 'must be unique'));
    if (target !== '' && target.split('/').includes('..')) {
      errs.push(invalid(devicePath.child('devicePath'), target, "can not contain backsteps ('..')"));
    } else paths.add(target);
    if (mountsByName.has(name)) errs.push(invalid(devicePath.child('name'), name, 'must not already exist in volumeMounts'));
    if ([...mountsByName.values()].includes(target)) {
      errs.push(invalid(devicePath.child('devicePath'), target, 'must not already exist as a path in volumeMounts'));
    }
    if (name !== '') names.add(name);
  });
  return errs;
}

