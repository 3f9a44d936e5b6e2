import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enabledControllers } from './controller-manager.js';

test('--controllers: * is every on-by-default controller, -name disables, an unknown name is refused', () => {
  assert.deepEqual(enabledControllers(['*']), ['replicaset', 'namespace', 'serviceaccount', 'garbage-collector']);
  assert.deepEqual(enabledControllers(), ['replicaset', 'namespace', 'serviceaccount', 'garbage-collector']);
  assert.deepEqual(enabledControllers(['*', '-replicaset']), ['namespace', 'serviceaccount', 'garbage-collector']);
  assert.deepEqual(enabledControllers(['*', '-replicaset', '-namespace', '-serviceaccount', '-garbage-collector']), []);
  assert.deepEqual(enabledControllers(['replicaset']), ['replicaset']);
  assert.deepEqual(enabledControllers([]), []);
  assert.throws(() => enabledControllers(['*', 'nope']), /"nope" is not in the list of known controllers/);
});
