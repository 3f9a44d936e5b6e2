import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/index.js';
import type { KubeObject } from '../kube-object.js';
import { beginNamespaceDelete, namespaceDeletedDuringUpdate } from './namespace-lifecycle.js';

const NOW = '2025-01-02T03:04:05Z';
const ns = (extra: { finalizers?: string[]; spec?: string[]; deleting?: boolean } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'team-a', ...(extra.finalizers ? { finalizers: extra.finalizers } : {}), ...(extra.deleting ? { deletionTimestamp: NOW } : {}) },
  spec: { finalizers: extra.spec ?? ['kubernetes'] },
  status: { phase: extra.deleting ? 'Terminating' : 'Active' },
});

test('the first DELETE marks the namespace Terminating with a deletionTimestamp and keeps it', () => {
  const marked = beginNamespaceDelete(ns(), {}, NOW);
  assert.ok(marked !== 'unchanged' && marked !== undefined);
  assert.equal(marked.metadata?.deletionTimestamp, NOW);
  assert.deepEqual(marked.status, { phase: 'Terminating' });
  assert.deepEqual(marked.spec, { finalizers: ['kubernetes'] });
  assert.equal(marked.metadata?.finalizers, undefined);
});

test('propagationPolicy / orphanDependents put the orphan or foregroundDeletion finalizer on the namespace', () => {
  const orphan = beginNamespaceDelete(ns(), { propagationPolicy: 'Orphan' }, NOW) as KubeObject;
  assert.deepEqual(orphan.metadata?.finalizers, ['orphan']);
  const foreground = beginNamespaceDelete(ns({ finalizers: ['orphan'] }), { propagationPolicy: 'Foreground' }, NOW) as KubeObject;
  assert.deepEqual(foreground.metadata?.finalizers, ['foregroundDeletion']);
  const cascading = beginNamespaceDelete(ns({ finalizers: ['orphan', 'x.io/y'] }), { orphanDependents: false }, NOW) as KubeObject;
  assert.deepEqual(cascading.metadata?.finalizers, ['x.io/y', 'foregroundDeletion']);
  const background = beginNamespaceDelete(ns({ finalizers: ['orphan'] }), { propagationPolicy: 'Background' }, NOW) as KubeObject;
  assert.equal(background.metadata?.finalizers, undefined);
});

test('a later DELETE answers the namespace unchanged while spec.finalizers holds anything, then deletes generically', () => {
  assert.equal(beginNamespaceDelete(ns({ deleting: true }), {}, NOW), 'unchanged');
  assert.equal(beginNamespaceDelete(ns({ deleting: true, spec: [] }), {}, NOW), undefined);
});

test('default, kube-system and kube-public may not be deleted', () => {
  for (const name of ['default', 'kube-system', 'kube-public']) {
    const obj = { ...ns(), metadata: { name } };
    assert.throws(
      () => beginNamespaceDelete(obj, {}, NOW),
      (err: unknown) => err instanceof ApiError && err.code === 403 && err.message === `namespaces "${name}" is forbidden: this namespace may not be deleted`,
    );
  }
  assert.notEqual(beginNamespaceDelete({ ...ns(), metadata: { name: 'kube-node-lease' } }, {}, NOW), 'unchanged');
});

test('an update removes a namespace being deleted once spec.finalizers and metadata.finalizers are both empty', () => {
  const old = ns({ deleting: true });
  assert.equal(namespaceDeletedDuringUpdate(ns({ deleting: true, spec: [] }), old), true);
  assert.equal(namespaceDeletedDuringUpdate(ns({ deleting: true }), old), false);
  assert.equal(namespaceDeletedDuringUpdate(ns({ deleting: true, spec: [], finalizers: ['orphan'] }), old), false);
  assert.equal(namespaceDeletedDuringUpdate(ns({ spec: [] }), ns()), false, 'not without a deletionTimestamp');
});
