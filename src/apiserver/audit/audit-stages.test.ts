import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditEventLine } from './audit-event.js';
import { microTime, objectRefFor, requestReceived, responseComplete, responseStarted, type AuditRequest } from './audit-stages.js';

const RECEIVED = Date.UTC(2024, 4, 1, 10, 0, 0, 123);
const req: AuditRequest = {
  auditID: '6f1c2f39-8f0e-4a3c-9a55-0d7a3c1f0b11',
  requestURI: '/api/v1/namespaces/default/pods/web',
  verb: 'get',
  user: { username: 'alice', uid: 'u-1', groups: ['dev', 'system:authenticated'], extra: { scopes: ['a'] } },
  sourceIPs: ['10.0.0.7'],
  userAgent: 'kubectl/v1.30.0',
  objectRef: { resource: 'pods', namespace: 'default', name: 'web', apiVersion: 'v1' },
  receivedAt: RECEIVED,
};

test('microTime is RFC 3339 UTC with six fractional digits', () => {
  assert.equal(microTime(RECEIVED), '2024-05-01T10:00:00.123000Z');
  assert.equal(microTime(RECEIVED + 0.456), '2024-05-01T10:00:00.123456Z');
  assert.equal(microTime(0), '1970-01-01T00:00:00.000000Z');
  assert.equal(microTime(RECEIVED + 5.0071), '2024-05-01T10:00:00.128007Z');
  assert.equal(microTime(RECEIVED + 877), '2024-05-01T10:00:01.000000Z');
  assert.equal(microTime(RECEIVED - 124), '2024-05-01T09:59:59.999000Z');
  assert.equal(microTime(-1.5), '1969-12-31T23:59:59.998500Z');
  assert.equal(microTime(Date.UTC(12000, 0, 1) + 42), '+012000-01-01T00:00:00.042000Z');
});

test('a line is an audit.k8s.io/v1 Event with upstream field names and order', () => {
  const line = auditEventLine(responseComplete(req, RECEIVED + 5, { code: 200 }));
  assert.ok(line.endsWith('}\n') && !line.slice(0, -1).includes('\n'));
  assert.ok(line.startsWith('{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":'), line);
  const parsed = JSON.parse(line) as Record<string, unknown>;
  assert.deepEqual(Object.keys(parsed), [
    'kind', 'apiVersion', 'level', 'auditID', 'stage', 'requestURI', 'verb', 'user', 'sourceIPs', 'userAgent', 'objectRef',
    'responseStatus', 'requestReceivedTimestamp', 'stageTimestamp',
  ]);
  assert.deepEqual(parsed.user, { username: 'alice', uid: 'u-1', groups: ['dev', 'system:authenticated'], extra: { scopes: ['a'] } });
  assert.deepEqual(parsed.responseStatus, { metadata: {}, code: 200 });
  assert.equal(parsed.stageTimestamp, '2024-05-01T10:00:00.128000Z');
});

test('RequestReceived has no responseStatus and stamps both times with arrival', () => {
  const e = requestReceived(req);
  assert.equal(e.stage, 'RequestReceived');
  assert.equal(e.responseStatus, undefined);
  assert.equal(e.stageTimestamp, e.requestReceivedTimestamp);
  assert.ok(!auditEventLine(e).includes('responseStatus'));
});

test('failures carry status, message and reason; a watch starts with code 200', () => {
  const failed = responseComplete(req, RECEIVED + 1, { code: 404, reason: 'NotFound', message: 'pods "web" not found' });
  assert.deepEqual(JSON.parse(auditEventLine(failed)).responseStatus, {
    metadata: {}, status: 'Failure', message: 'pods "web" not found', reason: 'NotFound', code: 404,
  });
  const started = responseStarted({ ...req, verb: 'watch' }, RECEIVED + 2);
  assert.equal(started.stage, 'ResponseStarted');
  assert.deepEqual(started.responseStatus, { metadata: {}, code: 200 });
});

test('objectRef comes from resource requests only, empty fields omitted', () => {
  const base = { resource: 'deployments', namespace: 'prod', name: '', apiGroup: 'apps', apiVersion: 'v1', subresource: '' };
  assert.deepEqual(JSON.parse(JSON.stringify(objectRefFor({ ...base, isResourceRequest: true }))), {
    resource: 'deployments', namespace: 'prod', apiGroup: 'apps', apiVersion: 'v1',
  });
  assert.equal(objectRefFor({ ...base, isResourceRequest: false }), undefined);
});
