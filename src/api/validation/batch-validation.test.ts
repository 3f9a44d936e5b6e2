import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults } from '../defaults/apply-defaults.js';
import { generateJobSelector } from '../defaults/workload-defaults.js';
import { fieldErrorMessage } from '../field-error.js';
import { validateObject } from './validate-object.js';

type Json = Record<string, unknown>;
type Mutation = (obj: Json, spec: Json) => void;

const UID = '0a9b4f7c-6d1e-4c5f-9b8a-2f3e4d5c6b7a';

function podTemplate(): Json {
  return { spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox' }] } };
}

function job(mutate: Mutation = () => {}, select = true): Json {
  const obj: Json = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: UID, resourceVersion: '3' },
    spec: { template: podTemplate() },
  };
  mutate(obj, obj['spec'] as Json);
  applyDefaults('batch', 'v1', 'Job', obj);
  if (select) generateJobSelector(obj);
  return obj;
}

function cronJob(mutate: Mutation = () => {}): Json {
  const obj: Json = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'default', resourceVersion: '3' },
    spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: podTemplate() } } },
  };
  mutate(obj, obj['spec'] as Json);
  applyDefaults('batch', 'v1', 'CronJob', obj);
  return obj;
}

function messages(kind: string, obj: Json, old?: Json): string[] {
  return validateObject('batch', 'v1', kind, obj, old ? { old } : {}).map(fieldErrorMessage);
}

function podSpecOf(spec: Json): Json {
  return (spec['template'] as Json)['spec'] as Json;
}

test('generated selectors label the template and select on the controller uid', () => {
  const obj = job();
  const spec = obj['spec'] as Json;
  assert.deepEqual(spec['selector'], { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } });
  assert.deepEqual(((spec['template'] as Json)['metadata'] as Json)['labels'], {
    'batch.kubernetes.io/controller-uid': UID,
    'batch.kubernetes.io/job-name': 'pi',
    'controller-uid': UID,
    'job-name': 'pi',
  });
});

const JOB_CASES: ReadonlyArray<readonly [string, () => Json, string[]]> = [
  ['a valid Job', () => job(), []],
  [
    'a Job that restarts Always',
    () => job((_o, spec) => (podSpecOf(spec)['restartPolicy'] = 'Always')),
    ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
  ],
  [
    'a Job without generated selector',
    () => job(() => {}, false),
    [
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`',
    ],
  ],
  [
    'a negative backoffLimit',
    () => job((_o, spec) => (spec['backoffLimit'] = -1)),
    ['spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0'],
  ],
  [
    'an Indexed Job without completions',
    () => job((_o, spec) => {
      spec['completionMode'] = 'Indexed';
      spec['parallelism'] = 2;
    }),
    ['spec.completions: Required value: when completion mode is Indexed'],
  ],
  [
    'backoffLimitPerIndex without Indexed mode',
    () => job((_o, spec) => (spec['backoffLimitPerIndex'] = 1)),
    ['spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode'],
  ],
  [
    'a pod failure policy with OnFailure restarts',
    () =>
      job((_o, spec) => {
        podSpecOf(spec)['restartPolicy'] = 'OnFailure';
        spec['podFailurePolicy'] = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1, 0] } }] };
      }),
    [
      'spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator',
      'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{1, 0}: must be ordered',
      'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
    ],
  ],
];

for (const [name, build, expected] of JOB_CASES) {
  test(`Job create: ${name}`, () => assert.deepEqual(messages('Job', build()), expected));
}

test('Job update: the template is immutable unless the Job is suspended and never started', () => {
  const changed = job((_o, spec) => (podSpecOf(spec)['containers'] = [{ name: 'work', image: 'busybox:2' }]));
  assert.deepEqual(messages('Job', changed, job()), ['spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable']);
  const suspended = job((_o, spec) => (spec['suspend'] = true));
  const scheduled = job((_o, spec) => {
    spec['suspend'] = true;
    podSpecOf(spec)['nodeSelector'] = { zone: 'a' };
  });
  assert.deepEqual(messages('Job', scheduled, suspended), []);
});

test('Job update: completions and completionMode are immutable', () => {
  const changed = job((_o, spec) => (spec['completions'] = 3));
  assert.deepEqual(messages('Job', changed, job()), ['spec.completions: Invalid value: 3: field is immutable']);
});

const CRON_CASES: ReadonlyArray<readonly [string, Mutation, string[]]> = [
  ['a valid CronJob', () => {}, []],
  ['a descriptor schedule', (_o, spec) => (spec['schedule'] = '@every 1h30m'), []],
  ['no schedule', (_o, spec) => delete spec['schedule'], ['spec.schedule: Required value']],
  [
    'a schedule with three fields',
    (_o, spec) => (spec['schedule'] = '* * *'),
    ['spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]'],
  ],
  [
    'a minute out of range',
    (_o, spec) => (spec['schedule'] = '61 * * * *'),
    ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'],
  ],
  [
    'a time zone in the schedule',
    (_o, spec) => (spec['schedule'] = 'TZ=UTC 0 3 * * *'),
    ['spec.schedule: Invalid value: "TZ=UTC 0 3 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
  ],
  [
    'an unknown time zone',
    (_o, spec) => (spec['timeZone'] = 'Mars/Olympus'),
    ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'],
  ],
  [
    'an unknown concurrency policy',
    (_o, spec) => (spec['concurrencyPolicy'] = 'Sometimes'),
    ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"'],
  ],
  [
    'a selector in the job template',
    (_o, spec) => (((spec['jobTemplate'] as Json)['spec'] as Json)['selector'] = { matchLabels: { a: 'b' } }),
    [
      'spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated',
    ],
  ],
  [
    'a name longer than 52 characters',
    (o) => ((o['metadata'] as Json)['name'] = 'a'.repeat(53)),
    [`metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`],
  ],
];

for (const [name, mutate, expected] of CRON_CASES) {
  test(`CronJob create: ${name}`, () => assert.deepEqual(messages('CronJob', cronJob(mutate)), expected));
}

test('CronJob update: long names already stored may be updated', () => {
  const long = (o: Json): void => {
    (o['metadata'] as Json)['name'] = 'a'.repeat(53);
  };
  assert.deepEqual(messages('CronJob', cronJob(long), cronJob(long)), []);
});
