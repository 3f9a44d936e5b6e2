import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enabledControllers } from './controller-manager.js';

test('--controllers: * is every on-by-default controller, -name disables, an unknown name is refused', () => {
  const all = ['replicaset', 'namespace', 'serviceaccount', 'garbage-collector', 'node-lifecycle', 'taint-eviction-controller', 'pod-garbage-collector', 'root-ca-certificate-publisher-controller'];
  assert.deepEqual(enabledControllers(['*']), all);
  assert.deepEqual(enabledControllers(), all);
  assert.deepEqual(enabledControllers(['*', '-replicaset']), all.slice(1));
  assert.deepEqual(enabledControllers(['*', ...all.map((n) => `-${n}`)]), []);
  assert.deepEqual(enabledControllers(['replicaset']), ['replicaset']);
  assert.deepEqual(enabledControllers([]), []);
  assert.throws(() => enabledControllers(['*', 'nope']), /"nope" is not in the list of known controllers/);
});
