import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateObject } from './validate-object.js';

const pc = (name: string, extra: Record<string, unknown>) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, preemptionPolicy: 'PreemptLowerPriority', ...extra });
const messages = (obj: object, old?: object) => validateObject('scheduling.k8s.io', 'v1', 'PriorityClass', obj, old ? { old } : {}).map((e) => `${e.field}: ${e.type}: ${e.detail}`);

test('PriorityClass validation: reserved names, the user maximum and immutable value', () => {
  assert.deepEqual(messages(pc('ok', { value: 1_000_000_000 })), []);
  assert.deepEqual(messages(pc('system-node-critical', { value: 2_000_001_000 })), []);
  assert.match(messages(pc('too-high', { value: 1_000_000_001 }))[0] ?? '', /value: FieldValueForbidden: maximum allowed value of a user defined priority is 1000000000/);
  assert.match(messages(pc('system-x', { value: 1 }))[0] ?? '', /metadata\.name: FieldValueForbidden: .*reserved for system use only\. error: system-x is not a known system priority class/);
  assert.match(messages(pc('system-cluster-critical', { value: 1 }))[0] ?? '', /value of system-cluster-critical PriorityClass must be 2000000000/);
  const old = { ...pc('a', { value: 1 }), metadata: { name: 'a', resourceVersion: '1' } };
  const next = { ...pc('a', { value: 2 }), metadata: { name: 'a', resourceVersion: '1' } };
  assert.ok(messages(next, old).includes('value: FieldValueForbidden: may not be changed in an update.'));
});
