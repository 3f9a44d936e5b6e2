/**
 * batch/v1 Job and CronJob validation on create and update, with the Job strategy's options:
 * prefixed selector labels required, scheduling directives mutable while a Job is suspended and
 * has never started, elastic Indexed Jobs.
 */
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { GoStringer, invalid, notSupported, required, type FieldError } from '../field-error.js';
import { FieldPath } from '../field-path.js';
import { nameIsDNSSubdomain } from '../name-validation.js';
import { isDNS1123Label } from '../names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../object-meta.js';
import { cronScheduleError } from './cron-schedule.js';
import { goLabelSelector, goStringMap } from './go-syntax.js';
import { validateJobSpecFields } from './job-spec-validation.js';
import { selectorFromSpec, validateLabelSelector } from './label-selector-validation.js';
import { asObject, isObject, num, stringMap, str, validateImmutableField, validateNonnegativeField, type JsonObject } from './validation-util.js';

const SPEC = FieldPath.of('spec');
const TEMPLATE_META = SPEC.child('template', 'metadata');
const CRONJOB_NAME_MAX_LENGTH = 52;

function metaOf(obj: JsonObject): ObjectMeta {
  return asObject(obj['metadata']) as ObjectMeta;
}

function templateLabelsOf(spec: JsonObject): Record<string, string> | undefined {
  return stringMap(asObject(asObject(spec['template'])['metadata'])['labels']);
}

function validateHasLabel(labels: Record<string, string> | undefined, key: string, expected: string): FieldError[] {
  const path = TEMPLATE_META.child('labels').key(key);
  if (labels === undefined || !(key in labels)) return [required(path, `must be '${expected}'`)];
  return labels[key] === expected ? [] : [invalid(path, goStringMap(labels), `must be '${expected}'`)];
}

function validateGeneratedSelector(job: JsonObject, requirePrefixedLabels: boolean): FieldError[] {
  const spec = asObject(job['spec']);
  if (spec['manualSelector'] === true || !isObject(spec['selector'])) return [];
  const uid = str(metaOf(job).uid);
  const name = str(metaOf(job).name);
  const labels = templateLabelsOf(spec);
  const errs = uid === '' ? [required(FieldPath.of('metadata', 'uid'))] : [];
  errs.push(...validateHasLabel(labels, 'controller-uid', uid), ...validateHasLabel(labels, 'job-name', name));
  const expected: Record<string, string> = { 'controller-uid': uid, 'job-name': name };
  if (requirePrefixedLabels) {
    errs.push(
      ...validateHasLabel(labels, 'batch.kubernetes.io/controller-uid', uid),
      ...validateHasLabel(labels, 'batch.kubernetes.io/job-name', name),
    );
    expected['batch.kubernetes.io/controller-uid'] = uid;
    expected['batch.kubernetes.io/job-name'] = name;
  }
  const selector = selectorFromSpec(spec['selector']);
  if (selector && !selector.matches(expected)) {
    errs.push(invalid(SPEC.child('selector'), goLabelSelector(spec['selector']), '`selector` not auto-generated'));
  }
  return errs;
}

function validateJobSpec(spec: JsonObject): FieldError[] {
  const errs = validateJobSpecFields(spec, SPEC);
  if (!isObject(spec['selector'])) errs.push(required(SPEC.child('selector')));
  else errs.push(...validateLabelSelector(spec['selector'], SPEC.child('selector')));
  const selector = selectorFromSpec(spec['selector']);
  if (selector && !selector.matches(templateLabelsOf(spec))) {
    const labels = asObject(asObject(spec['template'])['metadata'])['labels'];
    errs.push(invalid(TEMPLATE_META.child('labels'), goStringMap(labels), '`selector` does not match template `labels`'));
  }
  return errs;
}

function validateJobWith(job: JsonObject, requirePrefixedLabels: boolean): FieldError[] {
  const meta = metaOf(job);
  const spec = asObject(job['spec']);
  const errs = validateObjectMeta(meta, { requiresNamespace: true, nameValidator: nameIsDNSSubdomain });
  errs.push(...validateGeneratedSelector(job, requirePrefixedLabels), ...validateJobSpec(spec));
  const completions = num(spec['completions']);
  if (spec['completionMode'] === 'Indexed' && completions !== undefined && completions > 0) {
    const hostname = `${str(meta.name)}-${completions - 1}`;
    if (isDNS1123Label(hostname).length > 0) {
      errs.push(invalid(FieldPath.of('metadata', 'name'), str(meta.name), `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  return errs;
}

export function validateJob(job: JsonObject): FieldError[] {
  return validateJobWith(job, true);
}

/** Upstream prints the whole internal struct; its first line stands for it here. */
function goStruct(typeName: string, value: unknown): GoStringer | null {
  return value === undefined || value === null ? null : new GoStringer(`${typeName}{...}`);
}

function validateTemplateUpdate(spec: JsonObject, oldSpec: JsonObject, mutableScheduling: boolean): FieldError[] {
  const template = asObject(spec['template']);
  let oldTemplate = asObject(oldSpec['template']);
  if (mutableScheduling) {
    oldTemplate = JSON.parse(JSON.stringify(oldTemplate)) as JsonObject;
    const podSpec = asObject(template['spec']);
    const oldPodSpec = asObject(oldTemplate['spec']);
    const affinity = asObject(podSpec['affinity']);
    const oldAffinity = asObject(oldPodSpec['affinity']);
    oldPodSpec['affinity'] = { ...oldAffinity, nodeAffinity: affinity['nodeAffinity'] };
    if (!isObject(podSpec['affinity']) && Object.keys(oldAffinity).every((k) => k === 'nodeAffinity')) delete oldPodSpec['affinity'];
    for (const key of ['nodeSelector', 'tolerations', 'schedulingGates']) oldPodSpec[key] = podSpec[key];
    const oldMeta = asObject(oldTemplate['metadata']);
    oldMeta['annotations'] = asObject(template['metadata'])['annotations'];
    oldMeta['labels'] = asObject(template['metadata'])['labels'];
  }
  return validateImmutableField(template, oldTemplate, SPEC.child('template'), goStruct('core.PodTemplateSpec', template));
}

function validateCompletionsUpdate(spec: JsonObject, oldSpec: JsonObject): FieldError[] {
  const completions = num(spec['completions']);
  const path = SPEC.child('completions');
  if (spec['completionMode'] !== 'Indexed') return validateImmutableField(completions, num(oldSpec['completions']), path, completions ?? null);
  if (completions === undefined || completions === num(oldSpec['completions'])) return [];
  return completions === num(spec['parallelism']) ? [] : [invalid(path, completions, 'can only be modified in tandem with spec.parallelism')];
}

export function validateJobUpdate(job: JsonObject, old: JsonObject): FieldError[] {
  const spec = asObject(job['spec']);
  const oldSpec = asObject(old['spec']);
  const oldLabels = templateLabelsOf(oldSpec) ?? {};
  const requirePrefixed = 'batch.kubernetes.io/job-name' in oldLabels && 'batch.kubernetes.io/controller-uid' in oldLabels;
  const mutableScheduling = oldSpec['suspend'] === true && asObject(old['status'])['startTime'] === undefined;
  return [
    ...validateJobWith(job, requirePrefixed),
    ...validateObjectMetaUpdate(metaOf(job), metaOf(old)),
    ...validateJobSpec(spec),
    ...validateCompletionsUpdate(spec, oldSpec),
    ...validateImmutableField(spec['selector'], oldSpec['selector'], SPEC.child('selector'), goLabelSelector(spec['selector'])),
    ...validateTemplateUpdate(spec, oldSpec, mutableScheduling),
    ...validateImmutableField(spec['completionMode'], oldSpec['completionMode'], SPEC.child('completionMode')),
    ...validateImmutableField(spec['podFailurePolicy'], oldSpec['podFailurePolicy'], SPEC.child('podFailurePolicy'), goStruct('batch.PodFailurePolicy', spec['podFailurePolicy'])),
    ...validateImmutableField(spec['backoffLimitPerIndex'], oldSpec['backoffLimitPerIndex'], SPEC.child('backoffLimitPerIndex')),
    ...validateImmutableField(spec['managedBy'], oldSpec['managedBy'], SPEC.child('managedBy')),
    ...validateImmutableField(spec['successPolicy'], oldSpec['successPolicy'], SPEC.child('successPolicy'), goStruct('batch.SuccessPolicy', spec['successPolicy'])),
  ];
}

function validateTimeZone(timeZone: unknown, path: FieldPath): FieldError[] {
  if (timeZone === undefined || timeZone === null) return [];
  const zone = str(timeZone);
  if (zone === '') return [invalid(path, zone, 'timeZone must be nil or non-empty string')];
  const validPart = (part: string): boolean => part !== '.' && part !== '..' && !part.startsWith('-') && /^[A-Za-z.\-_0-9+]{1,14}$/.test(part);
  if (!zone.split('/').every(validPart)) return [invalid(path, zone, `unknown time zone ${zone}`)];
  if (zone.toLowerCase() === 'local') {
    return [invalid(path, zone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return [];
  } catch {
    return [invalid(path, zone, `unknown time zone ${zone}`)];
  }
}

function validateCronJobSpec(spec: JsonObject, oldSpec: JsonObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const schedule = str(spec['schedule']);
  const schedulePath = SPEC.child('schedule');
  if (schedule === '') errs.push(required(schedulePath));
  else {
    const error = cronScheduleError(schedule);
    if (error !== undefined) errs.push(invalid(schedulePath, schedule, error));
    const allowTZ = oldSpec !== undefined && str(oldSpec['schedule']).includes('TZ');
    if (allowTZ && schedule.includes('TZ') && spec['timeZone'] !== undefined && spec['timeZone'] !== null) {
      errs.push(invalid(schedulePath, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
    } else if (!allowTZ && schedule.includes('TZ')) {
      errs.push(invalid(schedulePath, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    }
  }
  errs.push(...validateNonnegativeField(num(spec['startingDeadlineSeconds']), SPEC.child('startingDeadlineSeconds')));
  if (oldSpec === undefined || spec['timeZone'] !== oldSpec['timeZone']) errs.push(...validateTimeZone(spec['timeZone'], SPEC.child('timeZone')));
  const policy = str(spec['concurrencyPolicy']);
  if (policy === '') errs.push(required(SPEC.child('concurrencyPolicy')));
  else if (!['Allow', 'Forbid', 'Replace'].includes(policy)) {
    errs.push(notSupported(SPEC.child('concurrencyPolicy'), policy, ['Allow', 'Forbid', 'Replace']));
  }
  const jobSpecPath = SPEC.child('jobTemplate', 'spec');
  const jobSpec = asObject(asObject(spec['jobTemplate'])['spec']);
  errs.push(...validateJobSpecFields(jobSpec, jobSpecPath));
  if (isObject(jobSpec['selector'])) {
    errs.push(invalid(jobSpecPath.child('selector'), goLabelSelector(jobSpec['selector']), '`selector` will be auto-generated'));
  }
  if (jobSpec['manualSelector'] === true) errs.push(notSupported(jobSpecPath.child('manualSelector'), true, ['nil', 'false']));
  errs.push(...validateNonnegativeField(num(spec['successfulJobsHistoryLimit']), SPEC.child('successfulJobsHistoryLimit')));
  errs.push(...validateNonnegativeField(num(spec['failedJobsHistoryLimit']), SPEC.child('failedJobsHistoryLimit')));
  return errs;
}

export function validateCronJob(cronJob: JsonObject): FieldError[] {
  const meta = metaOf(cronJob);
  const errs = validateObjectMeta(meta, { requiresNamespace: true, nameValidator: nameIsDNSSubdomain });
  errs.push(...validateCronJobSpec(asObject(cronJob['spec']), undefined));
  const name = str(meta.name);
  if (name.length > CRONJOB_NAME_MAX_LENGTH) {
    errs.push(invalid(FieldPath.of('metadata', 'name'), name, `must be no more than ${CRONJOB_NAME_MAX_LENGTH} characters`));
  }
  return errs;
}

export function validateCronJobUpdate(cronJob: JsonObject, old: JsonObject): FieldError[] {
  return [...validateObjectMetaUpdate(metaOf(cronJob), metaOf(old)), ...validateCronJobSpec(asObject(cronJob['spec']), asObject(old['spec']))];
}
