/**
 * batch/v1 JobSpec validation shared by Jobs and CronJob job templates (validateJobSpec):
 * counts, completion mode, pod failure and replacement policies, the pod template and its
 * restart policy.
 */
import { GoStringer, OMIT_VALUE, duplicate, invalid, notSupported, required, tooLong, tooMany, type FieldError } from '../field-error.js';
import type { FieldPath } from '../field-path.js';
import { isDNS1123Subdomain } from '../names.js';
import { validatePodTemplateSpec } from './pod-spec-validation.js';
import {
  asObject,
  isObject,
  num,
  objectsOf,
  str,
  validateNonnegativeField,
  validateQualifiedName,
  type JsonObject,
} from './validation-util.js';

const MAX_PARALLELISM_INDEXED = 100000;
const MAX_FAILED_INDEXES = 100000;
const COMPLETIONS_SOFT_LIMIT = 100000;
const PARALLELISM_LIMIT_HIGH_COMPLETIONS = 10000;
const MAX_MANAGED_BY_LENGTH = 63;
const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];

function goQuotedList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

function goInt32s(values: unknown): GoStringer {
  return new GoStringer(Array.isArray(values) ? `[]int32{${values.join(', ')}}` : '[]int32(nil)');
}

function validateManagedBy(value: string, path: FieldPath): FieldError[] {
  if (value === '') return [required(path)];
  const slash = value.indexOf('/');
  const host = value.slice(0, slash);
  const rest = value.slice(slash + 1);
  const errs: FieldError[] = [];
  if (slash <= 0 || rest === '') errs.push(invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")'));
  else {
    errs.push(...isDNS1123Subdomain(host).map((msg) => invalid(path, host, msg)));
    if (!/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(rest)) {
      errs.push(invalid(path, rest, "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"));
    }
  }
  if (value.length > MAX_MANAGED_BY_LENGTH) errs.push(tooLong(path, MAX_MANAGED_BY_LENGTH));
  return errs;
}

function validateIndexedCompletion(spec: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const completions = num(spec['completions']);
  const parallelism = num(spec['parallelism']);
  const maxFailed = num(spec['maxFailedIndexes']);
  if (completions === undefined) errs.push(required(path.child('completions'), 'when completion mode is Indexed'));
  if (parallelism !== undefined && parallelism > MAX_PARALLELISM_INDEXED) {
    errs.push(invalid(path.child('parallelism'), parallelism, `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`));
  }
  if (completions !== undefined && maxFailed !== undefined && maxFailed > completions) {
    errs.push(invalid(path.child('maxFailedIndexes'), maxFailed, 'must be less than or equal to completions'));
  }
  if (maxFailed !== undefined && maxFailed > MAX_FAILED_INDEXES) {
    errs.push(invalid(path.child('maxFailedIndexes'), maxFailed, `must be less than or equal to ${MAX_FAILED_INDEXES}`));
  }
  if (completions !== undefined && completions > COMPLETIONS_SOFT_LIMIT && num(spec['backoffLimitPerIndex']) !== undefined) {
    const suffix = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
    if (maxFailed === undefined) {
      errs.push(required(path.child('maxFailedIndexes'), `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
    }
    if (parallelism !== undefined && parallelism > PARALLELISM_LIMIT_HIGH_COMPLETIONS) {
      errs.push(invalid(path.child('parallelism'), parallelism, `must be less than or equal to ${PARALLELISM_LIMIT_HIGH_COMPLETIONS} ${suffix}`));
    }
    if (maxFailed !== undefined && maxFailed > PARALLELISM_LIMIT_HIGH_COMPLETIONS) {
      errs.push(invalid(path.child('maxFailedIndexes'), maxFailed, `must be less than or equal to ${PARALLELISM_LIMIT_HIGH_COMPLETIONS} ${suffix}`));
    }
  }
  return errs;
}

function validatePodFailureRule(spec: JsonObject, rule: JsonObject, containerNames: ReadonlySet<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const action = str(rule['action']);
  if (action === '') errs.push(required(path.child('action'), `valid values: ${goQuotedList(ACTIONS)}`));
  else if (action === 'FailIndex') {
    if (num(spec['backoffLimitPerIndex']) === undefined) errs.push(invalid(path.child('action'), action, 'requires the backoffLimitPerIndex to be set'));
  } else if (!ACTIONS.includes(action)) errs.push(notSupported(path.child('action'), action, ACTIONS));
  const onExitCodes = rule['onExitCodes'];
  const conditions = objectsOf(rule['onPodConditions']);
  if (isObject(onExitCodes)) {
    const exitPath = path.child('onExitCodes');
    const operator = str(onExitCodes['operator']);
    if (operator === '') errs.push(required(exitPath.child('operator'), 'valid values: ["In" "NotIn"]'));
    else if (operator !== 'In' && operator !== 'NotIn') errs.push(notSupported(exitPath.child('operator'), operator, ['In', 'NotIn']));
    const container = onExitCodes['containerName'];
    if (typeof container === 'string' && !containerNames.has(container)) {
      errs.push(invalid(exitPath.child('containerName'), container, 'must be one of the container or initContainer names in the pod template'));
    }
    const values = Array.isArray(onExitCodes['values']) ? onExitCodes['values'].map((v) => (typeof v === 'number' ? v : 0)) : [];
    const valuesPath = exitPath.child('values');
    if (values.length === 0) errs.push(invalid(valuesPath, goInt32s(onExitCodes['values']), 'at least one value is required'));
    else if (values.length > 255) errs.push(tooMany(valuesPath, values.length, 255));
    const seen = new Set<number>();
    values.forEach((value, j) => {
      if (operator === 'In' && value === 0) errs.push(invalid(valuesPath.index(j), value, 'must not be 0 for the In operator'));
      if (seen.has(value)) errs.push(duplicate(valuesPath.index(j), value));
      seen.add(value);
    });
    if (values.some((value, j) => j > 0 && (values[j - 1] ?? 0) > value)) errs.push(invalid(valuesPath, goInt32s(values), 'must be ordered'));
  }
  if (conditions.length > 0) {
    const conditionsPath = path.child('onPodConditions');
    if (conditions.length > 20) errs.push(tooMany(conditionsPath, conditions.length, 20));
    conditions.forEach((pattern, j) => {
      errs.push(...validateQualifiedName(str(pattern['type']), conditionsPath.index(j).child('type')));
      const status = str(pattern['status']);
      const statusPath = conditionsPath.index(j).child('status');
      if (status === '') errs.push(required(statusPath, `valid values: ${goQuotedList(CONDITION_STATUSES)}`));
      else if (!CONDITION_STATUSES.includes(status)) errs.push(notSupported(statusPath, status, CONDITION_STATUSES));
    });
  }
  if (isObject(onExitCodes) && conditions.length > 0) {
    errs.push(invalid(path, OMIT_VALUE, 'specifying both OnExitCodes and OnPodConditions is not supported'));
  }
  if (!isObject(onExitCodes) && conditions.length === 0) {
    errs.push(invalid(path, OMIT_VALUE, 'specifying one of OnExitCodes and OnPodConditions is required'));
  }
  return errs;
}

function validatePodFailurePolicy(spec: JsonObject, path: FieldPath): FieldError[] {
  const rules = objectsOf(asObject(spec['podFailurePolicy'])['rules']);
  const errs = rules.length > 20 ? [tooMany(path.child('rules'), rules.length, 20)] : [];
  const podSpec = asObject(asObject(spec['template'])['spec']);
  const names = new Set([...objectsOf(podSpec['containers']), ...objectsOf(podSpec['initContainers'])].map((c) => str(c['name'])));
  rules.forEach((rule, i) => errs.push(...validatePodFailureRule(spec, rule, names, path.child('rules').index(i))));
  return errs;
}

export function validateJobSpecFields(spec: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex']) {
    errs.push(...validateNonnegativeField(num(spec[key]), path.child(key)));
  }
  const maxFailed = num(spec['maxFailedIndexes']);
  const perIndex = num(spec['backoffLimitPerIndex']);
  if (maxFailed !== undefined) {
    errs.push(...validateNonnegativeField(maxFailed, path.child('maxFailedIndexes')));
    if (perIndex === undefined) errs.push(required(path.child('backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
  }
  if (spec['managedBy'] !== undefined && spec['managedBy'] !== null) errs.push(...validateManagedBy(str(spec['managedBy']), path.child('managedBy')));
  const mode = spec['completionMode'];
  if (mode !== undefined && mode !== null) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(notSupported(path.child('completionMode'), str(mode), ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') errs.push(...validateIndexedCompletion(spec, path));
  }
  if (mode === undefined || mode === null || mode === 'NonIndexed') {
    if (perIndex !== undefined) errs.push(invalid(path.child('backoffLimitPerIndex'), perIndex, 'requires indexed completion mode'));
    if (maxFailed !== undefined) errs.push(invalid(path.child('maxFailedIndexes'), maxFailed, 'requires indexed completion mode'));
  }
  const hasFailurePolicy = isObject(spec['podFailurePolicy']);
  if (hasFailurePolicy) errs.push(...validatePodFailurePolicy(spec, path.child('podFailurePolicy')));
  if (isObject(spec['successPolicy']) && mode !== 'Indexed') {
    errs.push(invalid(path.child('successPolicy'), OMIT_VALUE, 'requires indexed completion mode'));
  }
  const replacement = spec['podReplacementPolicy'];
  if (replacement !== undefined && replacement !== null) {
    const allowed = hasFailurePolicy ? ['Failed'] : ['Failed', 'TerminatingOrFailed'];
    if (!allowed.includes(str(replacement))) errs.push(notSupported(path.child('podReplacementPolicy'), str(replacement), allowed));
  }
  const templatePath = path.child('template');
  errs.push(...validatePodTemplateSpec(asObject(spec['template']), templatePath));
  const restartPolicy = str(asObject(asObject(spec['template'])['spec'])['restartPolicy']);
  const restartPath = templatePath.child('spec', 'restartPolicy');
  if (restartPolicy === 'Always' || restartPolicy === '') {
    errs.push(required(restartPath, 'valid values: "OnFailure", "Never"'));
  } else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    errs.push(notSupported(restartPath, restartPolicy, ['OnFailure', 'Never']));
  } else if (hasFailurePolicy && restartPolicy !== 'Never') {
    errs.push(invalid(restartPath, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}
