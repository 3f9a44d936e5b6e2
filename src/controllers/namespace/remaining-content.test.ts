import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { finalizersOf, groupResourceKey, gvrString, podTerminationEstimate, requeueAfterMs } from './remaining-content.js';

const pod = (grace: number | undefined, phase = 'Running'): Pod => ({
  spec: { containers: [], ...(grace === undefined ? {} : { terminationGracePeriodSeconds: grace }) },
  status: { phase },
});

test('resources are named as upstream prints them', () => {
  assert.equal(gvrString({ group: '', version: 'v1', resource: 'pods' }), '/v1, Resource=pods');
  assert.equal(gvrString({ group: 'apps', version: 'v1', resource: 'replicasets' }), 'apps/v1, Resource=replicasets');
  assert.equal(groupResourceKey({ group: '', resource: 'pods' }), 'pods.');
  assert.equal(groupResourceKey({ group: 'apps', resource: 'replicasets' }), 'replicasets.apps');
});

test('the Pod estimate is the longest grace period of Pods not finished, until that long has passed', () => {
  const deletedAt = 1_000_000;
  const pods = [pod(30), pod(120, 'Succeeded'), pod(45, 'Pending'), pod(undefined)];
  assert.equal(podTerminationEstimate(pods, deletedAt, deletedAt + 1000), 45);
  assert.equal(podTerminationEstimate(pods, deletedAt, deletedAt + 45_000), 0);
  assert.equal(podTerminationEstimate([], deletedAt, deletedAt), 0);
});

test('remaining items are counted by finalizer; the requeue waits estimate/2 + 1 seconds', () => {
  const counts = finalizersOf([{ metadata: { finalizers: ['a/x', 'b/y'] } }, { metadata: { finalizers: ['a/x'] } }, { metadata: {} }]);
  assert.deepEqual([...counts], [
    ['a/x', 2],
    ['b/y', 1],
  ]);
  assert.equal(requeueAfterMs(15), 8000);
  assert.equal(requeueAfterMs(0), 1000);
  assert.equal(requeueAfterMs(30), 16_000);
});
