import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { AbsentOwnerCache, GraphNode, partitionDependents, referencesDiffs } from './graph.js';

const ref = (uid: string, name = uid, block?: boolean): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid, ...(block === undefined ? {} : { blockOwnerDeletion: block }) });
const id = (uid: string, namespace = 'ns', name = uid) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid, namespace });

test('referencesDiffs compares by uid', () => {
  const d = referencesDiffs([ref('a'), ref('b', 'b', true)], [ref('b', 'b', false), ref('c')]);
  assert.deepEqual(d.added, [ref('c')]);
  assert.deepEqual(d.removed, [ref('a')]);
  assert.deepEqual(d.changed, [{ old: ref('b', 'b', true), cur: ref('b', 'b', false) }]);
});

test('partitionDependents: coordinates and, for a namespaced owner, the namespace must agree', () => {
  const same = new GraphNode(id('d1'), { owners: [ref('o')] });
  const renamed = new GraphNode(id('d2'), { owners: [ref('o', 'x')] });
  const elsewhere = new GraphNode(id('d3', 'other'), { owners: [ref('o')] });
  const unrelated = new GraphNode(id('d4'), { owners: [ref('z')] });
  const { matching, nonMatching } = partitionDependents([same, renamed, elsewhere, unrelated], id('o'));
  assert.deepEqual(matching.map((n) => n.identity.uid), ['d1']);
  assert.deepEqual(nonMatching.map((n) => n.identity.uid), ['d2', 'd3']);
  assert.deepEqual(partitionDependents([elsewhere], id('o', '')).matching.map((n) => n.identity.uid), ['d3'], 'a cluster-scoped owner matches in any namespace');
});

test('AbsentOwnerCache keys by every coordinate and forgets the least recently used', () => {
  const cache = new AbsentOwnerCache(2);
  cache.add(id('a'));
  cache.add(id('b'));
  assert.ok(cache.has(id('a')));
  assert.ok(!cache.has(id('a', 'other')));
  cache.add(id('c'));
  assert.ok(!cache.has(id('b')), 'b was least recently used');
  assert.ok(cache.has(id('a')) && cache.has(id('c')));
});
