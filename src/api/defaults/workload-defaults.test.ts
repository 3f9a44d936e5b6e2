import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults } from './apply-defaults.js';

type Json = Record<string, unknown>;

const TEMPLATE = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function defaulted(group: string, kind: string, obj: Json): Json {
  applyDefaults(group, 'v1', kind, obj);
  return obj;
}

test('ReplicaSet replicas default to 1 and its status shows replicas 0', () => {
  const rs = defaulted('apps', 'ReplicaSet', { spec: { selector: { matchLabels: { app: 'a' } }, template: clone(TEMPLATE) } });
  assert.equal((rs['spec'] as Json)['replicas'], 1);
  assert.deepEqual(rs['status'], { replicas: 0 });
});

test('Deployment defaults, in DeploymentSpec field order', () => {
  const deployment = defaulted('apps', 'Deployment', { spec: { selector: { matchLabels: { app: 'a' } }, template: clone(TEMPLATE) } });
  const spec = deployment['spec'] as Json;
  assert.deepEqual(Object.keys(spec), ['replicas', 'selector', 'template', 'strategy', 'revisionHistoryLimit', 'progressDeadlineSeconds']);
  assert.equal(spec['replicas'], 1);
  assert.equal(JSON.stringify(spec['strategy']), '{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}}');
  assert.equal(spec['revisionHistoryLimit'], 10);
  assert.equal(spec['progressDeadlineSeconds'], 600);
  assert.deepEqual(deployment['status'], {});
});

test('a Recreate Deployment gets no rollingUpdate', () => {
  const deployment = defaulted('apps', 'Deployment', { spec: { strategy: { type: 'Recreate' }, template: clone(TEMPLATE) } });
  assert.deepEqual((deployment['spec'] as Json)['strategy'], { type: 'Recreate' });
});

test('Job defaults', () => {
  const template = clone(TEMPLATE);
  (template.spec as Json)['restartPolicy'] = 'Never';
  const job = defaulted('batch', 'Job', { metadata: { name: 'j' }, spec: { template } });
  const spec = job['spec'] as Json;
  assert.deepEqual(Object.keys(spec), [
    'parallelism',
    'completions',
    'backoffLimit',
    'manualSelector',
    'template',
    'completionMode',
    'suspend',
    'podReplacementPolicy',
  ]);
  assert.equal(spec['parallelism'], 1);
  assert.equal(spec['completions'], 1);
  assert.equal(spec['backoffLimit'], 6);
  assert.equal(spec['completionMode'], 'NonIndexed');
  assert.equal(spec['suspend'], false);
  assert.equal(spec['manualSelector'], false);
  assert.equal(spec['podReplacementPolicy'], 'TerminatingOrFailed');
  assert.deepEqual((job['metadata'] as Json)['labels'], { app: 'a' });
  assert.equal(((spec['template'] as Json)['spec'] as Json)['restartPolicy'], 'Never');
});

test('Job defaults depend on the fields that are set', () => {
  const spec = defaulted('batch', 'Job', {
    metadata: { labels: { own: 'x' } },
    spec: {
      completions: 5,
      backoffLimitPerIndex: 1,
      completionMode: 'Indexed',
      podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
      template: clone(TEMPLATE),
    },
  });
  const jobSpec = spec['spec'] as Json;
  assert.equal(jobSpec['parallelism'], 1);
  assert.equal(jobSpec['completions'], 5);
  assert.equal(jobSpec['backoffLimit'], 2147483647);
  assert.equal(jobSpec['podReplacementPolicy'], 'Failed');
  assert.deepEqual(jobSpec['podFailurePolicy'], {
    rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }],
  });
  assert.deepEqual((spec['metadata'] as Json)['labels'], { own: 'x' });
});

test('CronJob defaults leave the job template spec to the Job defaulter', () => {
  const cronJob = defaulted('batch', 'CronJob', { spec: { schedule: '* * * * *', jobTemplate: { spec: { template: clone(TEMPLATE) } } } });
  const spec = cronJob['spec'] as Json;
  assert.equal(
    JSON.stringify(spec).replace(/"template":\{.*\}\}\}/, '"template":T}}'),
    '{"schedule":"* * * * *","concurrencyPolicy":"Allow","suspend":false,"jobTemplate":{"metadata":{"creationTimestamp":null},"spec":{"template":T}},"successfulJobsHistoryLimit":3,"failedJobsHistoryLimit":1}',
  );
  const template = ((spec['jobTemplate'] as Json)['spec'] as Json)['template'] as Json;
  assert.deepEqual(template['metadata'], { creationTimestamp: null, labels: { app: 'a' } });
  assert.equal((template['spec'] as Json)['dnsPolicy'], 'ClusterFirst');
  assert.deepEqual(cronJob['status'], {});
});
