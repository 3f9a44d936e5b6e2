import { test } from 'node:test';
import assert from 'node:assert/strict';
import { responseComplete, requestReceived, type AuditRequest, type WatchDelivery } from '../audit/index.js';
import { buildTrace, parseTraceName } from './build-trace.js';

const T0 = Date.UTC(2024, 4, 1, 10);
const req = (i: number, over: Partial<AuditRequest>): AuditRequest => ({
  auditID: `a${i}`,
  requestURI: '/x',
  verb: 'create',
  user: { username: 'admin', groups: [] },
  userAgent: 'kubectl/v1.33.0',
  receivedAt: T0 + i,
  ...over,
});

test('parseTraceName splits <resource>.<name> at the first dot', () => {
  assert.deepEqual(parseTraceName('replicasets.my-replicaset'), { resource: 'replicasets', name: 'my-replicaset' });
  assert.deepEqual(parseTraceName('pods.a.b'), { resource: 'pods', name: 'a.b' });
  assert.equal(parseTraceName('pods'), undefined);
  assert.equal(parseTraceName('.x'), undefined);
});

test('a Trace holds the writes and deliveries of its subject, finds generateName creates by the stored name, and lists dependents', () => {
  const rs = req(1, { objectRef: { resource: 'replicasets', namespace: 'default', name: 'rs', apiGroup: 'apps' } });
  const pod = req(3, { objectRef: { resource: 'pods', namespace: 'default' }, userAgent: 'kube-controller-manager/v1.32.0' });
  const audit = [
    requestReceived(rs),
    responseComplete(rs, T0 + 2, { code: 201 }, { name: 'rs', uid: 'u-rs', resourceVersion: '10', storedAt: T0 + 2 }),
    responseComplete(pod, T0 + 4, { code: 201 }, { name: 'rs-abcde', uid: 'u-p', resourceVersion: '11', controllerUid: 'u-rs', storedAt: T0 + 4 }),
    responseComplete(req(5, { verb: 'get', objectRef: { resource: 'replicasets', namespace: 'default', name: 'rs' } }), T0 + 5, { code: 200 }),
    responseComplete(req(6, { objectRef: { resource: 'replicasets', namespace: 'other', name: 'rs' } }), T0 + 6, { code: 201 }),
  ];
  const deliveries: WatchDelivery[] = [
    { time: T0 + 2.5, user: 'system:kube-controller-manager', userAgent: 'kube-controller-manager/v1.32.0', resource: 'apps/replicasets', namespace: 'default', name: 'rs', type: 'ADDED', resourceVersion: '10' },
    { time: T0 + 2.6, user: 'u', userAgent: 'x', resource: 'apps/replicasets', namespace: 'default', name: 'other', type: 'ADDED', resourceVersion: '9' },
    { time: T0 + 2.7, user: 'u', userAgent: 'x', resource: 'apps/replicasets', name: '', type: 'BOOKMARK', resourceVersion: '12' },
  ];
  const t = buildTrace({ resource: 'replicasets', namespace: 'default', name: 'rs' }, audit, deliveries);
  assert.equal(t.kind, 'Trace');
  assert.equal(t.apiVersion, 'trace.skiff.dev/v1alpha1');
  assert.deepEqual(t.metadata, { name: 'replicasets.rs', namespace: 'default' });
  assert.equal(t.subject.uid, 'u-rs');
  assert.deepEqual(t.dependents, [{ resource: 'pods', name: 'rs-abcde', uid: 'u-p' }]);
  assert.deepEqual(t.records.map((r) => r.type), ['Request', 'WatchDelivery']);
  const [create] = t.records;
  assert.ok(create?.type === 'Request');
  assert.equal(create.resourceVersion, '10');
  assert.equal(create.stored, '2024-05-01T10:00:00.002000Z');
  const p = buildTrace({ resource: 'pods', namespace: 'default', name: 'rs-abcde' }, audit, []);
  assert.equal(p.records.length, 1);
  assert.equal(p.subject.uid, 'u-p');
});
