import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deletionFinalizers } from './deletion-finalizers.js';

test('propagationPolicy decides, and replaces the other garbage-collection finalizer', () => {
  assert.deepEqual(deletionFinalizers([], { propagationPolicy: 'Foreground' }), ['foregroundDeletion']);
  assert.deepEqual(deletionFinalizers(['x'], { propagationPolicy: 'Orphan' }), ['x', 'orphan']);
  assert.deepEqual(deletionFinalizers(['orphan', 'x'], { propagationPolicy: 'Foreground' }), ['x', 'foregroundDeletion']);
  assert.deepEqual(deletionFinalizers(['foregroundDeletion', 'x'], { propagationPolicy: 'Background' }), ['x']);
  assert.deepEqual(deletionFinalizers(['orphan'], { propagationPolicy: 'Background' }, 'OrphanDependents'), []);
});

test('orphanDependents overrides propagationPolicy; false removes both finalizers', () => {
  assert.deepEqual(deletionFinalizers([], { orphanDependents: true, propagationPolicy: 'Foreground' }), ['orphan']);
  assert.deepEqual(deletionFinalizers(['orphan', 'foregroundDeletion'], { orphanDependents: false }), []);
});

test('without options, a finalizer already present stays, else the kind default applies', () => {
  assert.deepEqual(deletionFinalizers(['foregroundDeletion', 'x'], {}), ['foregroundDeletion', 'x']);
  assert.deepEqual(deletionFinalizers(['orphan'], {}), ['orphan']);
  assert.deepEqual(deletionFinalizers([], {}), []);
  assert.deepEqual(deletionFinalizers([], {}, 'OrphanDependents'), ['orphan']);
  assert.deepEqual(deletionFinalizers(['foregroundDeletion'], {}, 'OrphanDependents'), ['foregroundDeletion']);
});
