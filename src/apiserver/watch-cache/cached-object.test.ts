import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CachedObject } from './cached-object.js';

const pod = { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p', namespace: 'ns', resourceVersion: '7', labels: { app: 'a' } } };

test('a superseded version keeps its JSON and decodes afresh each time it is looked into', () => {
  let loads = 0;
  const obj = new CachedObject('/registry/pods/ns/p', () => (loads++, structuredClone(pod)), 7, JSON.stringify(pod));
  assert.equal(obj.object, obj.object, 'the current version is decoded once and shared');
  assert.equal(loads, 1);
  obj.supersede();
  const a = obj.object;
  const b = obj.object;
  assert.notEqual(a, b, 'no decoded copy is kept');
  assert.deepEqual(a, pod);
  assert.equal(obj.json(), JSON.stringify(pod));
  assert.equal(loads, 1, 'decoded from its JSON, not through the loader');
});

test('an object made from a decoded value gets its JSON before it lets the value go', () => {
  const obj = new CachedObject('/registry/pods/ns/p', structuredClone(pod), 7);
  obj.supersede();
  assert.deepEqual(obj.object, pod);
  assert.equal(obj.itemJson(), JSON.stringify(pod).replace('"kind":"Pod","apiVersion":"v1",', ''));
});
