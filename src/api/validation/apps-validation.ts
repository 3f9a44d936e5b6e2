/**
 * apps/v1 ReplicaSet and Deployment validation, with the registry strategies' update rules
 * (the selector is immutable in apps/v1; ReplicaSet updates re-run create validation).
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { GoStringer, forbidden, invalid, notSupported, required, type FieldError } from '../field-error.js';
import { FieldPath } from '../field-path.js';
import { nameIsDNSSubdomain } from '../name-validation.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../object-meta.js';
import { goIntOrString, goLabelSelector, goStringMap } from './go-syntax.js';
import { isEmptySelector, selectorFromSpec, validateLabelSelector } from './label-selector-validation.js';
import { validatePodTemplateSpec } from './pod-spec-validation.js';
import {
  asObject,
  isObject,
  isValidPercent,
  num,
  stringMap,
  validateImmutableField,
  validateNonnegativeField,
  type JsonObject,
} from './validation-util.js';

const SPEC = FieldPath.of('spec');

function metaOf(obj: JsonObject): ObjectMeta {
  return asObject(obj['metadata']) as ObjectMeta;
}

function validateSelectorAndTemplate(spec: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const selector = spec['selector'];
  if (!isObject(selector)) errs.push(required(path.child('selector')));
  else {
    errs.push(...validateLabelSelector(selector, path.child('selector')));
    if (isEmptySelector(selector)) errs.push(invalid(path.child('selector'), goLabelSelector(selector), 'empty selector is invalid for deployment'));
  }
  const parsed = selectorFromSpec(selector);
  if (parsed === undefined) {
    errs.push(invalid(path.child('selector'), goLabelSelector(selector), 'invalid label selector'));
    return errs;
  }
  const templatePath = path.child('template');
  const template = asObject(spec['template']);
  const templateMeta = asObject(template['metadata']);
  const labels = stringMap(templateMeta['labels']);
  if (!parsed.isEmpty() && !parsed.matches(labels)) {
    errs.push(invalid(templatePath.child('metadata', 'labels'), goStringMap(templateMeta['labels']), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(template, templatePath));
  const podSpec = asObject(template['spec']);
  const restartPolicy = podSpec['restartPolicy'];
  if (restartPolicy !== 'Always') {
    errs.push(notSupported(templatePath.child('spec', 'restartPolicy'), typeof restartPolicy === 'string' ? restartPolicy : '', ['Always']));
  }
  if (num(podSpec['activeDeadlineSeconds']) !== undefined) {
    errs.push(forbidden(templatePath.child('spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

function validateReplicaSetSpec(spec: JsonObject): FieldError[] {
  return [
    ...validateNonnegativeField(num(spec['replicas']) ?? 0, SPEC.child('replicas')),
    ...validateNonnegativeField(num(spec['minReadySeconds']) ?? 0, SPEC.child('minReadySeconds')),
    ...validateSelectorAndTemplate(spec, SPEC),
  ];
}

export function validateReplicaSet(rs: JsonObject): FieldError[] {
  const errs = validateObjectMeta(metaOf(rs), { requiresNamespace: true, nameValidator: nameIsDNSSubdomain });
  return [...errs, ...validateReplicaSetSpec(asObject(rs['spec']))];
}

function validateSelectorImmutable(obj: JsonObject, old: JsonObject): FieldError[] {
  const selector = asObject(obj['spec'])['selector'];
  const oldSelector = asObject(old['spec'])['selector'];
  return validateImmutableField(selector, oldSelector, SPEC.child('selector'), goLabelSelector(selector));
}

export function validateReplicaSetUpdate(rs: JsonObject, old: JsonObject): FieldError[] {
  return [
    ...validateReplicaSet(rs),
    ...validateObjectMetaUpdate(metaOf(rs), metaOf(old)),
    ...validateReplicaSetSpec(asObject(rs['spec'])),
    ...validateSelectorImmutable(rs, old),
  ];
}

/** getIntOrPercentValue: a percentage's number, an int, or a non-numeric string's 0. */
function intOrPercentValue(value: unknown): number {
  if (typeof value === 'string') {
    if (isValidPercent(value).length === 0) return Number(value.slice(0, -1));
    return /^[+-]?\d+$/.test(value) ? Number(value) : 0;
  }
  return typeof value === 'number' ? value : 0;
}

function validatePositiveIntOrPercent(value: unknown, path: FieldPath): FieldError[] {
  if (typeof value === 'string') return isValidPercent(value).map((msg) => invalid(path, goIntOrString(value), msg));
  return validateNonnegativeField(typeof value === 'number' ? value : 0, path);
}

function validateStrategy(strategy: JsonObject, path: FieldPath): FieldError[] {
  const type = strategy['type'];
  const rollingUpdate = strategy['rollingUpdate'];
  if (type === 'Recreate') {
    return isObject(rollingUpdate) ? [forbidden(path.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
  }
  if (type === 'RollingUpdate') {
    if (!isObject(rollingUpdate)) return [required(path.child('rollingUpdate'), 'this should be defaulted and never be nil')];
    const updatePath = path.child('rollingUpdate');
    const unavailable = rollingUpdate['maxUnavailable'];
    const surge = rollingUpdate['maxSurge'];
    const errs = [
      ...validatePositiveIntOrPercent(unavailable, updatePath.child('maxUnavailable')),
      ...validatePositiveIntOrPercent(surge, updatePath.child('maxSurge')),
    ];
    if (intOrPercentValue(unavailable) === 0 && intOrPercentValue(surge) === 0) {
      errs.push(invalid(updatePath.child('maxUnavailable'), goIntOrString(unavailable), 'may not be 0 when `maxSurge` is 0'));
    }
    if (typeof unavailable === 'string' && isValidPercent(unavailable).length === 0 && intOrPercentValue(unavailable) > 100) {
      errs.push(invalid(updatePath.child('maxUnavailable'), goIntOrString(unavailable), 'must not be greater than 100%'));
    }
    return errs;
  }
  const rolling = isObject(rollingUpdate) ? '(*apps.RollingUpdateDeployment)(0xc000000000)' : '(*apps.RollingUpdateDeployment)(nil)';
  const shown = new GoStringer(`apps.DeploymentStrategy{Type:"${typeof type === 'string' ? type : ''}", RollingUpdate:${rolling}}`);
  return [notSupported(path, shown, ['Recreate', 'RollingUpdate'])];
}

function validateDeploymentSpec(spec: JsonObject): FieldError[] {
  const errs = [...validateNonnegativeField(num(spec['replicas']) ?? 0, SPEC.child('replicas')), ...validateSelectorAndTemplate(spec, SPEC)];
  errs.push(...validateStrategy(asObject(spec['strategy']), SPEC.child('strategy')));
  const minReady = num(spec['minReadySeconds']) ?? 0;
  errs.push(...validateNonnegativeField(minReady, SPEC.child('minReadySeconds')));
  errs.push(...validateNonnegativeField(num(spec['revisionHistoryLimit']), SPEC.child('revisionHistoryLimit')));
  const deadline = num(spec['progressDeadlineSeconds']);
  if (deadline !== undefined) {
    errs.push(...validateNonnegativeField(deadline, SPEC.child('progressDeadlineSeconds')));
    if (deadline <= minReady) errs.push(invalid(SPEC.child('progressDeadlineSeconds'), deadline, 'must be greater than minReadySeconds'));
  }
  return errs;
}

export function validateDeployment(deployment: JsonObject): FieldError[] {
  const errs = validateObjectMeta(metaOf(deployment), { requiresNamespace: true, nameValidator: nameIsDNSSubdomain });
  return [...errs, ...validateDeploymentSpec(asObject(deployment['spec']))];
}

export function validateDeploymentUpdate(deployment: JsonObject, old: JsonObject): FieldError[] {
  return [
    ...validateObjectMetaUpdate(metaOf(deployment), metaOf(old)),
    ...validateDeploymentSpec(asObject(deployment['spec'])),
    ...validateSelectorImmutable(deployment, old),
  ];
}
