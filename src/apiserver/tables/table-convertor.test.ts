import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../kube-object.js';
import { toTable } from './table-convertor.js';

const NOW = Date.parse('2025-01-15T12:00:00Z');
const pod: KubeObject = {
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: {
    name: 'my-replicaset-qswlg',
    namespace: 'default',
    uid: 'u-1',
    resourceVersion: '812',
    creationTimestamp: '2025-01-15T02:00:00Z',
    labels: { app: 'web' },
  },
  spec: { containers: [{ name: 'nginx', image: 'nginx' }] },
  status: { phase: 'Running', containerStatuses: [{ name: 'nginx', ready: true, restartCount: 0, state: { running: {} } }] },
};

/** kubectl's headers (upper-cased names) per kind, `*` marking priority-1 (wide) columns, then each column's type. */
const HEADERS: [group: string, kind: string, headers: string, types: string][] = [
  ['', 'Pod', 'NAME READY STATUS RESTARTS AGE *IP *NODE *NOMINATED_NODE *READINESS_GATES', 'sssssssss'],
  ['apps', 'ReplicaSet', 'NAME DESIRED CURRENT READY AGE *CONTAINERS *IMAGES *SELECTOR', 'siiissss'],
  ['apps', 'Deployment', 'NAME READY UP-TO-DATE AVAILABLE AGE *CONTAINERS *IMAGES *SELECTOR', 'ssssssss'],
  ['', 'Node', 'NAME STATUS ROLES AGE VERSION *INTERNAL-IP *EXTERNAL-IP *OS-IMAGE *KERNEL-VERSION *CONTAINER-RUNTIME', 'ssssssssss'],
  ['', 'Namespace', 'NAME STATUS AGE', 'sss'],
  ['', 'Event', 'LAST_SEEN TYPE REASON OBJECT *SUBOBJECT *SOURCE MESSAGE *FIRST_SEEN *COUNT *NAME', 'ssssssssss'],
  ['events.k8s.io', 'Event', 'LAST_SEEN TYPE REASON OBJECT *SUBOBJECT *SOURCE MESSAGE *FIRST_SEEN *COUNT *NAME', 'ssssssssss'],
  ['', 'Service', 'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE *SELECTOR', 'sssssss'],
  ['', 'Endpoints', 'NAME ENDPOINTS AGE', 'sss'],
  ['', 'ConfigMap', 'NAME DATA AGE', 'sss'],
  ['', 'Secret', 'NAME TYPE DATA AGE', 'ssss'],
  ['coordination.k8s.io', 'Lease', 'NAME HOLDER AGE', 'sss'],
  ['', 'ServiceAccount', 'NAME SECRETS AGE', 'sss'],
  ['rbac.authorization.k8s.io', 'Role', 'NAME CREATED_AT', 'sd'],
  ['rbac.authorization.k8s.io', 'ClusterRole', 'NAME CREATED_AT', 'sd'],
  ['rbac.authorization.k8s.io', 'RoleBinding', 'NAME ROLE AGE *USERS *GROUPS *SERVICEACCOUNTS', 'ssssss'],
  ['rbac.authorization.k8s.io', 'ClusterRoleBinding', 'NAME ROLE AGE *USERS *GROUPS *SERVICEACCOUNTS', 'ssssss'],
  ['batch', 'Job', 'NAME STATUS COMPLETIONS DURATION AGE *CONTAINERS *IMAGES *SELECTOR', 'ssssssss'],
  ['batch', 'CronJob', 'NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST_SCHEDULE AGE *CONTAINERS *IMAGES *SELECTOR', 'sssbisssss'],
  ['example.com', 'Widget', 'NAME CREATED_AT', 'sd'],
];

test('column definitions match upstream for every kind', () => {
  const typeLetter: Record<string, string> = { string: 's', integer: 'i', boolean: 'b', date: 'd' };
  for (const [group, kind, headers, types] of HEADERS) {
    const cols = toTable(group, kind, [], { includeObject: 'None', now: NOW, withColumns: true }).columnDefinitions!;
    const got = cols.map((c) => `${c.priority === 1 ? '*' : ''}${c.name.toUpperCase().replaceAll(' ', '_')}`).join(' ');
    assert.equal(got, headers, `${group}/${kind}`);
    assert.equal(cols.map((c) => typeLetter[c.type] ?? '?').join(''), types, `${group}/${kind} types`);
    for (const c of cols) {
      assert.equal(c.format, c.name === 'Name' ? 'name' : '', `${group}/${kind} ${c.name} format`);
      assert.ok(c.description.length > 0, `${group}/${kind} ${c.name} description`);
    }
  }
});

test('the seed pod as a Table, with upstream key order and the default Metadata object', () => {
  const table = toTable('', 'Pod', [pod], { includeObject: 'Metadata', now: NOW, withColumns: true });
  assert.deepEqual(Object.keys(table), ['kind', 'apiVersion', 'metadata', 'columnDefinitions', 'rows']);
  assert.equal(table.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(table.metadata, { resourceVersion: '812' });
  assert.deepEqual(Object.keys(table.columnDefinitions![0]!), ['name', 'type', 'format', 'description', 'priority']);
  const row = table.rows![0]!;
  assert.deepEqual(Object.keys(row), ['cells', 'object']);
  assert.deepEqual(row.cells, ['my-replicaset-qswlg', '1/1', 'Running', '0', '10h', '<none>', '<none>', '<none>', '<none>']);
  assert.deepEqual(row.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata });
});

test('includeObject: None gives object null, Object the object itself', () => {
  const none = toTable('', 'Pod', [pod], { includeObject: 'None', now: NOW, withColumns: true });
  assert.equal(none.rows![0]!.object, null);
  assert.match(JSON.stringify(none.rows![0]), /"object":null}$/);
  const full = toTable('', 'Pod', [pod], { includeObject: 'Object', now: NOW, withColumns: true });
  assert.equal(full.rows![0]!.object, pod);
});

test('v1beta1 tables and their PartialObjectMetadata carry meta.k8s.io/v1beta1', () => {
  const table = toTable('', 'Pod', [pod], { includeObject: 'Metadata', now: NOW, withColumns: true, version: 'v1beta1' });
  assert.equal(table.apiVersion, 'meta.k8s.io/v1beta1');
  assert.equal(table.rows![0]!.object?.apiVersion, 'meta.k8s.io/v1beta1');
});

test('list metadata, watch events without headers, and row conditions in key order', () => {
  const done: KubeObject = { ...pod, metadata: { ...pod.metadata, name: 'done' }, status: { phase: 'Succeeded' } };
  const list = toTable('', 'Pod', [pod, done], {
    includeObject: 'None',
    now: NOW,
    withColumns: true,
    listMeta: { resourceVersion: '900', continue: 'abc', remainingItemCount: 0 },
  });
  assert.deepEqual(list.metadata, { resourceVersion: '900', continue: 'abc', remainingItemCount: 0 });
  assert.deepEqual(Object.keys(list.rows![1]!), ['cells', 'conditions', 'object']);
  const event = toTable('', 'Pod', [pod], { includeObject: 'None', now: NOW, withColumns: false });
  assert.equal(event.columnDefinitions, null);
  assert.deepEqual(event.metadata, { resourceVersion: '812' });
  assert.deepEqual(toTable('', 'Pod', [pod], { includeObject: 'None', now: NOW, withColumns: false, listMeta: {} }).metadata, {});
});

test('empty lists: [] rows from a printer, null rows from the default convertor', () => {
  const opts = { includeObject: 'None', now: NOW, withColumns: true, listMeta: { resourceVersion: '5' } } as const;
  assert.deepEqual(toTable('', 'Pod', [], opts).rows, []);
  assert.equal(toTable('rbac.authorization.k8s.io', 'Role', [], opts).rows, null);
  assert.match(JSON.stringify(toTable('rbac.authorization.k8s.io', 'Role', [], opts)), /"rows":null}$/);
});
