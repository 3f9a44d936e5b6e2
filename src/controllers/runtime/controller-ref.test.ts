import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { LabelSelector } from '../../api/index.js';
import {
  adoptPatch,
  classifyPods,
  controllerRefError,
  getControllerOf,
  ownerReference,
  releasePatch,
  STRATEGIC_MERGE_PATCH,
} from './controller-ref.js';

const gvk = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };
const rs: ReplicaSet = { metadata: { name: 'web', namespace: 'default', uid: 'rs-uid' } };
const selector = LabelSelector.fromSpec({ matchLabels: { app: 'web' } });

function pod(name: string, meta: Partial<NonNullable<Pod['metadata']>> = {}): Pod {
  return { metadata: { name, namespace: 'default', uid: `${name}-uid`, labels: { app: 'web' }, ...meta } };
}

describe('ownerReference', () => {
  it('builds a ControllerRef in upstream key order', () => {
    assert.equal(
      JSON.stringify(ownerReference(rs, gvk)),
      '{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web","uid":"rs-uid","controller":true,"blockOwnerDeletion":true}',
    );
  });
});

describe('getControllerOf', () => {
  it('returns the first reference with controller: true', () => {
    const refs = [
      { apiVersion: 'v1', kind: 'A', name: 'a', uid: '1' },
      { apiVersion: 'v1', kind: 'B', name: 'b', uid: '2', controller: false },
      { apiVersion: 'v1', kind: 'C', name: 'c', uid: '3', controller: true },
      { apiVersion: 'v1', kind: 'D', name: 'd', uid: '4', controller: true },
    ];
    assert.equal(getControllerOf({ metadata: { ownerReferences: refs } })?.uid, '3');
    assert.equal(getControllerOf({ metadata: { ownerReferences: refs.slice(0, 2) } }), undefined);
    assert.equal(getControllerOf({}), undefined);
  });
});

describe('controllerRefError', () => {
  it('accepts a full ControllerRef', () => {
    assert.equal(controllerRefError(ownerReference(rs, gvk)), undefined);
  });
  it('names what is missing as upstream does', () => {
    const ref = ownerReference(rs, gvk);
    assert.equal(controllerRefError(undefined), 'controllerRef is nil');
    assert.equal(controllerRefError({ ...ref, apiVersion: '' }), 'controllerRef has empty APIVersion');
    assert.equal(controllerRefError({ ...ref, kind: '' }), 'controllerRef has empty Kind');
    assert.equal(controllerRefError({ ...ref, controller: false }), 'controllerRef.Controller is not set to true');
    assert.equal(controllerRefError({ ...ref, blockOwnerDeletion: undefined }), 'controllerRef.BlockOwnerDeletion is not set');
  });
});

describe('patches', () => {
  it('adopt sets the ControllerRef and guards on the pod uid', () => {
    assert.equal(STRATEGIC_MERGE_PATCH, 'application/strategic-merge-patch+json');
    assert.equal(
      JSON.stringify(adoptPatch(rs, gvk, 'pod-uid')),
      '{"metadata":{"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web","uid":"rs-uid","controller":true,"blockOwnerDeletion":true}],"uid":"pod-uid"}}',
    );
  });
  it('release deletes the reference by owner uid', () => {
    assert.equal(
      JSON.stringify(releasePatch('rs-uid', 'pod-uid')),
      '{"metadata":{"uid":"pod-uid","ownerReferences":[{"$patch":"delete","uid":"rs-uid"}]}}',
    );
  });
});

describe('classifyPods', () => {
  const mine = { ownerReferences: [ownerReference(rs, gvk)] };
  const theirs = { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'other', controller: true }] };
  const names = (pods: Pod[]) => pods.map((p) => p.metadata?.name);

  it('claims owned matching pods, adopts matching orphans, releases owned non-matching pods', () => {
    const pods = [
      pod('owned', mine),
      pod('orphan'),
      pod('stale', { ...mine, labels: { app: 'other' } }),
      pod('foreign', theirs),
      pod('foreign-stale', { ...theirs, labels: {} }),
      pod('stranger', { labels: { app: 'db' } }),
      pod('owned-2', mine),
    ];
    const c = classifyPods(rs, selector, pods);
    assert.deepEqual(names(c.owned), ['owned', 'owned-2']);
    assert.deepEqual(names(c.adopt), ['orphan']);
    assert.deepEqual(names(c.release), ['stale']);
  });

  it('treats a non-controller ownerReference as an orphan', () => {
    const ref = { ...ownerReference(rs, gvk), controller: false };
    const c = classifyPods(rs, selector, [pod('p', { ownerReferences: [ref] })]);
    assert.deepEqual(names(c.adopt), ['p']);
  });

  it('does not adopt pods that are being deleted', () => {
    const c = classifyPods(rs, selector, [pod('p', { deletionTimestamp: '2024-01-01T00:00:00Z' })]);
    assert.deepEqual(c, { owned: [], adopt: [], release: [] });
  });

  it('still claims its own pods that are being deleted', () => {
    const c = classifyPods(rs, selector, [pod('p', { ...mine, deletionTimestamp: '2024-01-01T00:00:00Z' })]);
    assert.deepEqual(names(c.owned), ['p']);
  });

  it('an owner being deleted neither adopts nor releases, but keeps what it owns', () => {
    const deleting: ReplicaSet = { metadata: { ...rs.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };
    const c = classifyPods(deleting, selector, [pod('owned', mine), pod('orphan'), pod('stale', { ...mine, labels: {} })]);
    assert.deepEqual(names(c.owned), ['owned']);
    assert.deepEqual(c.adopt, []);
    assert.deepEqual(c.release, []);
  });

  it('canAdopt false stops adoption only', () => {
    const c = classifyPods(rs, selector, [pod('owned', mine), pod('orphan'), pod('stale', { ...mine, labels: {} })], false);
    assert.deepEqual(names(c.owned), ['owned']);
    assert.deepEqual(c.adopt, []);
    assert.deepEqual(names(c.release), ['stale']);
  });

  it('does not adopt orphans from another namespace', () => {
    const c = classifyPods(rs, selector, [pod('p', { namespace: 'other' })]);
    assert.deepEqual(c.adopt, []);
    const clusterOwner = { metadata: { name: 'n', uid: 'u' } };
    assert.equal(classifyPods(clusterOwner, selector, [pod('p', { namespace: 'other' })]).adopt.length, 1);
  });

  it('a selector that matches nothing only releases', () => {
    const c = classifyPods(rs, LabelSelector.nothing(), [pod('owned', mine), pod('orphan')]);
    assert.deepEqual(c.owned, []);
    assert.deepEqual(c.adopt, []);
    assert.deepEqual(names(c.release), ['owned']);
  });
});
