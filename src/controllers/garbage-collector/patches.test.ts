import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import {
  deleteOwnerRefJSONMergePatch,
  deleteOwnerRefStrategicMergePatch,
  removeFinalizerPatch,
  unblockOwnerReferencesJSONMergePatch,
  unblockOwnerReferencesStrategicMergePatch,
} from './patches.js';

const ref = (uid: string, block?: boolean): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid, ...(block === undefined ? {} : { blockOwnerDeletion: block }) });

test('removing owner references: a strategic $patch delete by uid, or the whole list with the resourceVersion', () => {
  assert.equal(JSON.stringify(deleteOwnerRefStrategicMergePatch('dep', ['a', 'b'])), '{"metadata":{"uid":"dep","ownerReferences":[{"$patch":"delete","uid":"a"},{"$patch":"delete","uid":"b"}]}}');
  const live = { metadata: { uid: 'dep', resourceVersion: '7', ownerReferences: [ref('a'), ref('b')] } };
  assert.deepEqual(deleteOwnerRefJSONMergePatch(live, ['a']), { metadata: { resourceVersion: '7', ownerReferences: [ref('b')], uid: 'dep' } });
  assert.equal(deleteOwnerRefJSONMergePatch(live, ['z']), undefined);
});

test('unblocking sets blockOwnerDeletion false on the blocking references', () => {
  assert.deepEqual(unblockOwnerReferencesStrategicMergePatch('dep', [ref('a', true), ref('b', false), ref('c')]), { metadata: { ownerReferences: [ref('a', false)], uid: 'dep' } });
  assert.deepEqual(unblockOwnerReferencesJSONMergePatch({ metadata: { resourceVersion: '3', ownerReferences: [ref('a', true), ref('b')] } }), {
    metadata: { resourceVersion: '3', ownerReferences: [ref('a', false), ref('b', false)] },
  });
});

test('removing a finalizer: the rest of the list with the resourceVersion, null when none is left', () => {
  assert.deepEqual(removeFinalizerPatch({ metadata: { resourceVersion: '5', finalizers: ['x', 'foregroundDeletion'] } }, 'foregroundDeletion'), { metadata: { resourceVersion: '5', finalizers: ['x'] } });
  assert.equal(JSON.stringify(removeFinalizerPatch({ metadata: { resourceVersion: '5', finalizers: ['orphan'] } }, 'orphan')), '{"metadata":{"resourceVersion":"5","finalizers":null}}');
  assert.equal(removeFinalizerPatch({ metadata: { finalizers: ['x'] } }, 'orphan'), undefined);
});
