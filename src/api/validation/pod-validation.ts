/**
 * Pod create and update validation (ValidatePodCreate, ValidatePodUpdate). On update only the
 * images, activeDeadlineSeconds, added tolerations, removed scheduling gates and a negative
 * grace period raised to 1 may change; anything else is refused with upstream's message.
 */
import { forbidden, invalid, required, type FieldError } from '../field-error.js';
import { FieldPath } from '../field-path.js';
import { nameIsDNSSubdomain } from '../name-validation.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../object-meta.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { MIRROR_POD_ANNOTATION, validatePodSpecificAnnotations, validateTolerations } from './pod-fields-validation.js';
import { podSpecDiff } from './pod-spec-diff.js';
import { validatePodSpec } from './pod-spec-validation.js';
import { asObject, inclusiveRangeError, isObject, num, objectsOf, semanticEqual, str, type JsonObject } from './validation-util.js';

const MAX_INT32 = 2147483647;
const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function metaOf(obj: JsonObject): ObjectMeta {
  return asObject(obj['metadata']) as ObjectMeta;
}

function validatePodMetadataAndSpec(pod: JsonObject): FieldError[] {
  const metaPath = FieldPath.of('metadata');
  const specPath = FieldPath.of('spec');
  const spec = asObject(pod['spec']);
  const errs = validateObjectMeta(metaOf(pod), { requiresNamespace: true, nameValidator: nameIsDNSSubdomain });
  errs.push(...validatePodSpecificAnnotations(metaOf(pod).annotations, spec, metaPath.child('annotations')));
  errs.push(...validatePodSpec(spec, specPath, { resourceIsPod: true }));
  if (str(spec['serviceAccountName']) === '') {
    objectsOf(spec['volumes']).forEach((volume, i) => {
      const projected = volume['projected'];
      if (!isObject(projected)) return;
      objectsOf(projected['sources']).forEach((source, j) => {
        if (!isObject(source['serviceAccountToken'])) return;
        const path = specPath.child('volumes').index(i).child('projected', 'sources').index(j).child('serviceAccountToken');
        errs.push(forbidden(path, 'must not be specified when serviceAccountName is not set'));
      });
    });
  }
  for (const key of ['containers', 'initContainers']) {
    objectsOf(spec[key]).forEach((container, i) => {
      const image = str(container['image']);
      if (image.trim() !== image) {
        errs.push(invalid(specPath.child(key).index(i).child('image'), image, 'must not have leading or trailing whitespace'));
      }
    });
  }
  return errs;
}

export function validatePodCreate(pod: JsonObject): FieldError[] {
  const errs = validatePodMetadataAndSpec(pod);
  const spec = asObject(pod['spec']);
  const specPath = FieldPath.of('spec');
  if (objectsOf(spec['ephemeralContainers']).length > 0) {
    errs.push(forbidden(specPath.child('ephemeralContainers'), 'cannot be set on create'));
  }
  if (str(spec['nodeName']) !== '' && objectsOf(spec['schedulingGates']).length > 0) {
    errs.push(forbidden(specPath.child('nodeName'), 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

function validateMirrorAnnotationUpdate(pod: JsonObject, old: JsonObject, path: FieldPath): FieldError[] {
  const next = asObject(metaOf(pod).annotations);
  const prev = asObject(metaOf(old).annotations);
  if (MIRROR_POD_ANNOTATION in prev && next[MIRROR_POD_ANNOTATION] !== prev[MIRROR_POD_ANNOTATION]) {
    return [forbidden(path.key(MIRROR_POD_ANNOTATION), 'may not remove or update mirror pod annotation')];
  }
  if (!(MIRROR_POD_ANNOTATION in prev) && MIRROR_POD_ANNOTATION in next) {
    return [forbidden(path.key(MIRROR_POD_ANNOTATION), 'may not add mirror pod annotation')];
  }
  return [];
}

function validateContainerUpdates(next: unknown, prev: unknown, path: FieldPath): { errs: FieldError[]; stop: boolean } {
  const containers = objectsOf(next);
  if (containers.length !== objectsOf(prev).length) {
    return { errs: [forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  }
  const errs: FieldError[] = [];
  containers.forEach((container, i) => {
    const image = str(container['image']);
    if (image === '') errs.push(required(path.index(i).child('image')));
    if (image.trim() !== image) errs.push(invalid(path.index(i).child('image'), image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function validateOnlyAddedTolerations(next: unknown, prev: unknown, path: FieldPath): FieldError[] {
  const added = objectsOf(next);
  for (const old of objectsOf(prev)) {
    const kept = added.some((toleration) =>
      semanticEqual({ ...old, tolerationSeconds: toleration['tolerationSeconds'] }, toleration),
    );
    if (!kept) return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(next, path);
}

function validateOnlyDeletedSchedulingGates(next: unknown, prev: unknown, path: FieldPath): FieldError[] {
  const old = new Set(objectsOf(prev).map((gate) => str(gate['name'])));
  const errs: FieldError[] = [];
  objectsOf(next).forEach((gate, i) => {
    const name = str(gate['name']);
    if (!old.has(name)) {
      errs.push(forbidden(path.index(i).child('name'), `only deletion is allowed, but found new scheduling gate '${name}'`));
    }
  });
  return errs;
}

/** The new spec with every field a user may change set back to its old value. */
function mungeSpec(spec: JsonObject, old: JsonObject): JsonObject {
  const munged = JSON.parse(JSON.stringify(spec)) as JsonObject;
  for (const key of ['containers', 'initContainers']) {
    const previous = objectsOf(old[key]);
    munged[key] = objectsOf(munged[key]).map((container, i) => ({ ...container, image: previous[i]?.['image'] }));
  }
  munged['activeDeadlineSeconds'] = old['activeDeadlineSeconds'];
  munged['schedulingGates'] = old['schedulingGates'];
  munged['tolerations'] = old['tolerations'];
  const oldGrace = num(old['terminationGracePeriodSeconds']);
  if (oldGrace !== undefined && oldGrace < 0 && num(munged['terminationGracePeriodSeconds']) === 1) {
    munged['terminationGracePeriodSeconds'] = oldGrace;
  }
  if (objectsOf(old['schedulingGates']).length > 0) {
    munged['nodeSelector'] = old['nodeSelector'];
    munged['affinity'] = old['affinity'];
  }
  return munged;
}

/**
 * upstream's ValidatePodStatusUpdate for writes through pods/status: the metadata update and the Pod's own
 * annotations; the spec is the stored one (the status strategy puts it back) and is not validated again.
 */
export function validatePodStatusUpdate(pod: JsonObject, old: JsonObject): FieldError[] {
  const metaPath = FieldPath.of('metadata');
  const errs = validateObjectMetaUpdate(metaOf(pod), metaOf(old));
  errs.push(...validateMirrorAnnotationUpdate(pod, old, metaPath.child('annotations')));
  errs.push(...validatePodSpecificAnnotations(metaOf(pod).annotations, asObject(pod['spec']), metaPath.child('annotations')));
  return errs;
}

export function validatePodUpdate(pod: JsonObject, old: JsonObject): FieldError[] {
  const metaPath = FieldPath.of('metadata');
  const specPath = FieldPath.of('spec');
  const errs = validateObjectMetaUpdate(metaOf(pod), metaOf(old));
  errs.push(...validatePodMetadataAndSpec(pod));
  errs.push(...validateMirrorAnnotationUpdate(pod, old, metaPath.child('annotations')));
  const spec = asObject(pod['spec']);
  errs.push(...validatePodSpecificAnnotations(metaOf(pod).annotations, spec, metaPath.child('annotations')));
  const oldSpec = asObject(old['spec']);
  for (const key of ['containers', 'initContainers']) {
    const result = validateContainerUpdates(spec[key], oldSpec[key], specPath.child(key));
    errs.push(...result.errs);
    if (result.stop) return errs;
  }
  const deadline = num(spec['activeDeadlineSeconds']);
  const oldDeadline = num(oldSpec['activeDeadlineSeconds']);
  if (deadline !== undefined) {
    if (deadline < 0 || deadline > MAX_INT32) {
      return [...errs, invalid(specPath.child('activeDeadlineSeconds'), deadline, inclusiveRangeError(0, MAX_INT32))];
    }
    if (oldDeadline !== undefined && oldDeadline < deadline) {
      return [...errs, invalid(specPath.child('activeDeadlineSeconds'), deadline, 'must be less than or equal to previous value')];
    }
  } else if (oldDeadline !== undefined) {
    errs.push(invalid(specPath.child('activeDeadlineSeconds'), null, 'must not update from a positive integer to nil value'));
  }
  errs.push(...validateOnlyAddedTolerations(spec['tolerations'], oldSpec['tolerations'], specPath.child('tolerations')));
  errs.push(...validateOnlyDeletedSchedulingGates(spec['schedulingGates'], oldSpec['schedulingGates'], specPath.child('schedulingGates')));
  if (semanticEqual(spec, oldSpec)) return errs;
  const munged = mungeSpec(spec, oldSpec);
  if (!semanticEqual(munged, oldSpec)) {
    const detail = `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${podSpecDiff(oldSpec, munged)}`;
    errs.push(forbidden(specPath, detail));
  }
  return errs;
}
