import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../kube-object.js';
import { toTable } from './table-convertor.js';

const NOW = Date.parse('2025-01-15T12:00:00Z');
const created = '2025-01-14T12:00:00Z';

const cells = (group: string, kind: string, obj: KubeObject) =>
  toTable(group, kind, [obj], { includeObject: 'None', now: NOW, withColumns: false }).rows![0]!.cells;

test('RoleBinding and ClusterRoleBinding: role ref, age, users, groups, service accounts', () => {
  const subjects = [
    { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
    { kind: 'ServiceAccount', name: 'default', namespace: 'kube-system' },
    { kind: 'Group', name: 'system:masters', apiGroup: 'rbac.authorization.k8s.io' },
    { kind: 'User', name: 'bob', apiGroup: 'rbac.authorization.k8s.io' },
  ];
  const rb: KubeObject = {
    metadata: { name: 'read', creationTimestamp: created },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects,
  };
  const want = ['read', 'ClusterRole/view', '24h', 'alice, bob', 'system:masters', 'kube-system/default'];
  assert.deepEqual(cells('rbac.authorization.k8s.io', 'RoleBinding', rb), want);
  assert.deepEqual(cells('rbac.authorization.k8s.io', 'ClusterRoleBinding', rb), want);
  assert.deepEqual(cells('rbac.authorization.k8s.io', 'RoleBinding', { ...rb, subjects: undefined }).slice(3), ['', '', '']);
});

test('Role and ClusterRole have no printer: the default Name / Created At table', () => {
  const role: KubeObject = { metadata: { name: 'pod-reader', creationTimestamp: created }, rules: [] };
  const table = toTable('rbac.authorization.k8s.io', 'ClusterRole', [role], { includeObject: 'None', now: NOW, withColumns: true });
  assert.deepEqual(
    table.columnDefinitions!.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Created At', 'date', '', 0],
    ],
  );
  assert.deepEqual(table.rows![0]!.cells, ['pod-reader', '2025-01-14T12:00:00Z']);
  assert.deepEqual(cells('rbac.authorization.k8s.io', 'Role', { metadata: { name: 'r', creationTimestamp: '2025-01-14T12:00:00.750Z' } }), [
    'r',
    '2025-01-14T12:00:00Z',
  ]);
  assert.deepEqual(cells('rbac.authorization.k8s.io', 'Role', { metadata: { name: 'r' } }), ['r', '0001-01-01T00:00:00Z']);
});

test('Lease: holder identity, empty when nobody holds it', () => {
  const lease: KubeObject = { metadata: { name: 'kube-scheduler', creationTimestamp: created }, spec: { holderIdentity: 'cp-1_abc' } };
  assert.deepEqual(cells('coordination.k8s.io', 'Lease', lease), ['kube-scheduler', 'cp-1_abc', '24h']);
  assert.deepEqual(cells('coordination.k8s.io', 'Lease', { metadata: { name: 'l', creationTimestamp: created }, spec: {} }), ['l', '', '24h']);
});

test('Scale subresource: desired and available replicas', () => {
  const scale: KubeObject = { metadata: { name: 'web', creationTimestamp: created }, spec: { replicas: 3 }, status: { replicas: 2 } };
  const table = toTable('autoscaling', 'Scale', [scale], { includeObject: 'None', now: NOW, withColumns: true });
  assert.deepEqual(table.rows![0]!.cells, ['web', 3, 2, '24h']);
  assert.equal(table.columnDefinitions![0]!.format, '');
});
