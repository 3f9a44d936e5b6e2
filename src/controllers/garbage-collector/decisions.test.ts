import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { decideDeletion } from './decisions.js';

const ref = (uid: string): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid });
const none = { solid: [], dangling: [], waitingForDependentsDeletion: [] };

test('a solid owner keeps the object; references to absent or waiting owners are removed', () => {
  assert.deepEqual(decideDeletion({}, { ...none, solid: [ref('a')] }, false, false), { action: 'keep' });
  assert.deepEqual(decideDeletion({}, { solid: [ref('a')], dangling: [ref('b')], waitingForDependentsDeletion: [ref('c')] }, false, false), {
    action: 'remove-owner-references',
    ownerUids: ['b', 'c'],
  });
});

test('no owner left: deleted in the background, or as its own finalizers ask', () => {
  assert.deepEqual(decideDeletion({}, { ...none, dangling: [ref('a')] }, true, false), { action: 'delete', policy: 'Background', unblockFirst: false });
  assert.deepEqual(decideDeletion({ metadata: { finalizers: ['orphan'] } }, { ...none, dangling: [ref('a')] }, false, false), { action: 'delete', policy: 'Orphan', unblockFirst: false });
  assert.deepEqual(decideDeletion({ metadata: { finalizers: ['foregroundDeletion'] } }, { ...none, dangling: [ref('a')] }, false, false), {
    action: 'delete',
    policy: 'Foreground',
    unblockFirst: false,
  });
});

test('an owner deleted in the foreground: a dependent with dependents of its own goes in the foreground too', () => {
  const waiting = { ...none, waitingForDependentsDeletion: [ref('a')] };
  assert.deepEqual(decideDeletion({}, waiting, false, false), { action: 'delete', policy: 'Background', unblockFirst: false });
  assert.deepEqual(decideDeletion({}, waiting, true, false), { action: 'delete', policy: 'Foreground', unblockFirst: false });
  assert.deepEqual(decideDeletion({}, waiting, true, true), { action: 'delete', policy: 'Foreground', unblockFirst: true }, 'a possible cycle: unblock first');
});
