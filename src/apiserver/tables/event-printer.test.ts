import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../kube-object.js';
import { toTable } from './table-convertor.js';

const NOW = Date.parse('2025-01-15T12:00:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString().replace('.000Z', 'Z');
const micro = (ms: number): string => new Date(NOW - ms).toISOString().replace('Z', '000Z');
const MIN = 60_000;

const cells = (group: string, obj: KubeObject) =>
  toTable(group, 'Event', [obj], { includeObject: 'None', now: NOW, withColumns: false }).rows![0]!.cells;

test('core/v1 Event: last seen, type, reason, object, subobject, source, message, first seen, count, name', () => {
  const ev: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-1.17a', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{nginx}' },
    reason: 'Pulled',
    message: '  Successfully pulled image "nginx"\n',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: ago(10 * MIN),
    lastTimestamp: ago(2 * MIN),
    count: 4,
    type: 'Normal',
  };
  assert.deepEqual(cells('', ev), [
    '2m',
    'Normal',
    'Pulled',
    'pod/web-1',
    'spec.containers{nginx}',
    'kubelet, node-1',
    'Successfully pulled image "nginx"',
    '10m',
    4,
    'web-1.17a',
  ]);
});

test('a new-style singleton Event: times from eventTime, count 1, reporting controller as source', () => {
  const ev: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'e' },
    involvedObject: { kind: 'Node' },
    reason: 'RegisteredNode',
    message: 'registered',
    eventTime: micro(30_000),
    reportingComponent: 'node-controller',
    type: 'Normal',
  };
  assert.deepEqual(cells('', ev), ['30s', 'Normal', 'RegisteredNode', 'node', '', 'node-controller', 'registered', '30s', 1, 'e']);
});

test('events.k8s.io/v1 Event with a series prints from its own field names', () => {
  const ev: KubeObject = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'lease.1' },
    regarding: { kind: 'Lease', name: 'kube-scheduler', namespace: 'kube-system' },
    reason: 'LeaderElection',
    note: 'became leader',
    eventTime: micro(20 * MIN),
    series: { count: 7, lastObservedTime: micro(90_000) },
    reportingController: 'default-scheduler',
    reportingInstance: 'cp-1',
    type: 'Normal',
  };
  assert.deepEqual(cells('events.k8s.io', ev), [
    '90s',
    'Normal',
    'LeaderElection',
    'lease/kube-scheduler',
    '',
    'default-scheduler, cp-1',
    'became leader',
    '20m',
    7,
    'lease.1',
  ]);
});

test('the event columns put Last Seen first and the wide ones where upstream has them', () => {
  const table = toTable('', 'Event', [], { includeObject: 'None', now: NOW, withColumns: true });
  assert.deepEqual(
    table.columnDefinitions!.map((c) => `${c.name}:${c.priority}`),
    ['Last Seen:0', 'Type:0', 'Reason:0', 'Object:0', 'Subobject:1', 'Source:1', 'Message:0', 'First Seen:1', 'Count:1', 'Name:1'],
  );
  assert.equal(table.columnDefinitions![9]!.format, 'name');
});
