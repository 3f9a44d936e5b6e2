import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../kube-object.js';
import { toTable } from './table-convertor.js';

const NOW = Date.parse('2025-01-15T12:00:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString().replace('.000Z', 'Z');
const MIN = 60_000;
const template = { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'fluentbit' }] } };

const cells = (group: string, kind: string, obj: object) =>
  toTable(group, kind, [obj as KubeObject], { includeObject: 'None', now: NOW, withColumns: false }).rows![0]!.cells;

test('ReplicaSet: desired, current, ready, age, then containers, images and selector', () => {
  const rs: ReplicaSet = {
    metadata: { name: 'web-7d4b9', creationTimestamp: ago(3 * MIN) },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d4b9' } }, template },
    status: { replicas: 3, readyReplicas: 2 },
  };
  assert.deepEqual(cells('apps', 'ReplicaSet', rs), ['web-7d4b9', 3, 3, 2, '3m', 'web,log', 'nginx:1.27,fluentbit', 'app=web,pod-template-hash=7d4b9']);
  const empty: ReplicaSet = { metadata: { name: 'x' }, spec: { selector: {}, template: {} }, status: { replicas: 0 } };
  assert.deepEqual(cells('apps', 'ReplicaSet', empty), ['x', 0, 0, 0, '<unknown>', '', '', '<none>']);
});

test('Deployment: ready/desired as a string; the wide selector is empty rather than <none>', () => {
  const d: Deployment = {
    metadata: { name: 'web', creationTimestamp: ago(26 * 60 * MIN) },
    spec: {
      replicas: 3,
      selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }], matchLabels: { app: 'web' } },
      template,
    },
    status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };
  assert.deepEqual(cells('apps', 'Deployment', d), ['web', '2/3', 3, 2, '26h', 'web,log', 'nginx:1.27,fluentbit', 'app=web,tier in (api,web)']);
  const bad: Deployment = { metadata: { name: 'b' }, spec: { selector: { matchExpressions: [{ key: 'k', operator: 'Exists', values: ['v'] }] }, template } };
  assert.equal(cells('apps', 'Deployment', bad)[7], '<invalid>');
});

test('Job: status, completions, duration', () => {
  const job = (spec: Partial<NonNullable<Job['spec']>>, status: Job['status'], deleting = false): Job => ({
    metadata: { name: 'pi', creationTimestamp: ago(5 * MIN), ...(deleting ? { deletionTimestamp: ago(0) } : {}) },
    spec: { template, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } }, ...spec },
    status,
  });
  const done = { startTime: ago(5 * MIN), completionTime: ago(5 * MIN - 12_000), succeeded: 1 };
  const cases: [string, Job, [string, string, string]][] = [
    ['complete', job({ completions: 1 }, { ...done, conditions: [{ type: 'Complete', status: 'True' }] }), ['Complete', '1/1', '12s']],
    ['running', job({ completions: 5, parallelism: 2 }, { startTime: ago(90_000), succeeded: 2 }), ['Running', '2/5', '90s']],
    ['work queue', job({ parallelism: 3 }, { startTime: ago(4 * MIN) }), ['Running', '0/1 of 3', '4m']],
    ['not started', job({ completions: 1 }, {}), ['Running', '0/1', '']],
    ['failed', job({}, { conditions: [{ type: 'Failed', status: 'True' }] }), ['Failed', '0/1', '']],
    ['terminating', job({}, {}, true), ['Terminating', '0/1', '']],
    ['suspended', job({ suspend: true }, { conditions: [{ type: 'Suspended', status: 'True' }] }), ['Suspended', '0/1', '']],
    ['failure target', job({}, { conditions: [{ type: 'FailureTarget', status: 'True' }] }), ['FailureTarget', '0/1', '']],
    ['false conditions', job({}, { conditions: [{ type: 'Complete', status: 'False' }] }), ['Running', '0/1', '']],
  ];
  for (const [name, j, want] of cases) assert.deepEqual(cells('batch', 'Job', j).slice(1, 4), want, name);
  assert.deepEqual(cells('batch', 'Job', cases[0]![1]), [
    'pi',
    'Complete',
    '1/1',
    '12s',
    '5m',
    'web,log',
    'nginx:1.27,fluentbit',
    'batch.kubernetes.io/controller-uid=abc',
  ]);
});

test('CronJob: schedule, timezone, suspend as True/False/<unset>, active count, last schedule', () => {
  const cj: CronJob = {
    metadata: { name: 'hello', creationTimestamp: ago(2 * 24 * 60 * MIN) },
    spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template } } },
    status: { active: [{ name: 'hello-1' }], lastScheduleTime: ago(3 * MIN) },
  };
  assert.deepEqual(cells('batch', 'CronJob', cj), ['hello', '*/5 * * * *', '<none>', 'False', 1, '3m', '2d', 'web,log', 'nginx:1.27,fluentbit', '<none>']);
  const other: CronJob = { metadata: { name: 'n' }, spec: { schedule: '@daily', timeZone: 'Etc/UTC', jobTemplate: {} } };
  assert.deepEqual(cells('batch', 'CronJob', other).slice(1, 6), ['@daily', 'Etc/UTC', '<unset>', 0, '<none>']);
});
