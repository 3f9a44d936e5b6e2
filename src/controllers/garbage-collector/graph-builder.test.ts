import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { GraphBuilder, type GraphBuilderSink, type GraphObject } from './graph-builder.js';

/** Records what the builder asks for. */
function fakeSink(): GraphBuilderSink & { deletes: string[]; orphans: string[]; invalid: string[]; reset(): void } {
  const s = {
    deletes: [] as string[],
    orphans: [] as string[],
    invalid: [] as string[],
    attemptToDelete: (uid: string) => void s.deletes.push(uid),
    attemptToOrphan: (uid: string) => void s.orphans.push(uid),
    invalidNamespaceOwnerRef: (_dep: unknown, message: string) => void s.invalid.push(message),
    reset() {
      s.deletes.length = 0;
      s.orphans.length = 0;
      s.invalid.length = 0;
    },
  };
  return s;
}

const ref = (uid: string, name = uid, block = true, kind = 'ReplicaSet', apiVersion = 'apps/v1'): OwnerReference => ({ apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: block });
const obj = (uid: string, namespace: string, extra: Partial<NonNullable<GraphObject['metadata']>> = {}): GraphObject => ({ metadata: { name: uid, uid, namespace, ...extra } });
const add = (b: GraphBuilder, kind: string, apiVersion: string, object: GraphObject, old?: GraphObject) => b.process({ type: old ? 'update' : 'add', kind, apiVersion, object, old });

test('a dependent seen before its owner creates a virtual owner to verify; the owner then replaces it', () => {
  const sink = fakeSink();
  const b = new GraphBuilder(sink);
  add(b, 'Pod', 'v1', obj('pod', 'ns', { ownerReferences: [ref('rs')] }));
  const virtual = b.graph.get('rs');
  assert.ok(virtual?.virtual);
  assert.deepEqual(virtual.identity, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs', namespace: 'ns' });
  assert.deepEqual(sink.deletes, ['rs']);
  sink.reset();
  add(b, 'ReplicaSet', 'apps/v1', obj('rs', 'ns'));
  const real = b.graph.get('rs')!;
  assert.equal(real.virtual, false);
  assert.deepEqual([...real.dependents].map((d) => d.identity.uid), ['pod']);
  assert.deepEqual(sink.deletes, [], 'coordinates agree: nothing to check');
});

test('an observed owner in another namespace makes its dependent suspect and is reported', () => {
  const sink = fakeSink();
  const b = new GraphBuilder(sink);
  add(b, 'ConfigMap', 'v1', obj('owner', 'a'));
  add(b, 'ConfigMap', 'v1', obj('dep', 'b', { ownerReferences: [ref('owner', 'owner', false, 'ConfigMap', 'v1')] }));
  assert.deepEqual(sink.deletes, ['dep']);
  assert.deepEqual(sink.invalid, ['ownerRef [v1/ConfigMap, namespace: b, name: owner, uid: owner] does not exist in namespace "b"']);
});

test('a reference with other coordinates than the observed owner makes the dependent suspect', () => {
  const sink = fakeSink();
  const b = new GraphBuilder(sink);
  add(b, 'ReplicaSet', 'apps/v1', obj('rs', 'ns'));
  add(b, 'Pod', 'v1', obj('pod', 'ns', { ownerReferences: [ref('rs', 'other-name')] }));
  assert.deepEqual(sink.deletes, ['pod']);
});

test('deleting an owner queues its dependents and remembers it as absent', () => {
  const sink = fakeSink();
  const b = new GraphBuilder(sink);
  add(b, 'ReplicaSet', 'apps/v1', obj('rs', 'ns'));
  add(b, 'Pod', 'v1', obj('p1', 'ns', { ownerReferences: [ref('rs')] }));
  add(b, 'Pod', 'v1', obj('p2', 'ns', { ownerReferences: [ref('rs')] }));
  sink.reset();
  b.process({ type: 'delete', apiVersion: 'apps/v1', kind: 'ReplicaSet', object: obj('rs', 'ns') });
  assert.equal(b.graph.get('rs'), undefined);
  assert.deepEqual(sink.deletes.sort(), ['p1', 'p2']);
  assert.ok(b.absentOwners.has({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs', namespace: 'ns' }));
});

test('foreground deletion marks the owner and queues it and its dependents; a dependent going queues the owner again', () => {
  const sink = fakeSink();
  const b = new GraphBuilder(sink);
  const rs = obj('rs', 'ns');
  add(b, 'ReplicaSet', 'apps/v1', rs);
  add(b, 'Pod', 'v1', obj('p1', 'ns', { ownerReferences: [ref('rs')] }));
  add(b, 'Pod', 'v1', obj('p2', 'ns', { ownerReferences: [ref('rs', 'rs', false)] }));
  sink.reset();
  add(b, 'ReplicaSet', 'apps/v1', obj('rs', 'ns', { deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] }), rs);
  const node = b.graph.get('rs')!;
  assert.ok(node.deletingDependents && node.beingDeleted);
  assert.deepEqual(sink.deletes.sort(), ['p1', 'p2', 'rs']);
  assert.deepEqual(node.blockingDependents().map((d) => d.identity.uid), ['p1'], 'only blockOwnerDeletion references block');
  sink.reset();
  b.process({ type: 'delete', apiVersion: 'v1', kind: 'Pod', object: obj('p1', 'ns') });
  assert.deepEqual(sink.deletes, ['rs']);
  assert.deepEqual(node.blockingDependents(), []);
});

test('an object listed already being deleted (after a restart) starts its foreground deletion or orphaning again', () => {
  const sink = fakeSink();
  const b = new GraphBuilder(sink);
  add(b, 'ReplicaSet', 'apps/v1', obj('fg', 'ns', { deletionTimestamp: 't', finalizers: ['foregroundDeletion'] }));
  add(b, 'ReplicaSet', 'apps/v1', obj('or', 'ns', { deletionTimestamp: 't', finalizers: ['orphan'] }));
  assert.deepEqual(sink.deletes, ['fg']);
  assert.deepEqual(sink.orphans, ['or']);
  assert.ok(b.graph.get('fg')!.deletingDependents);
  sink.reset();
  // A later update with the same finalizer is no new transition.
  add(b, 'ReplicaSet', 'apps/v1', obj('or', 'ns', { deletionTimestamp: 't', finalizers: ['orphan'], labels: { a: 'b' } }), obj('or', 'ns', { deletionTimestamp: 't', finalizers: ['orphan'] }));
  assert.deepEqual(sink.orphans, []);
});

test('removing a blocking reference or unblocking it queues the owner', () => {
  const sink = fakeSink();
  const b = new GraphBuilder(sink);
  add(b, 'ReplicaSet', 'apps/v1', obj('rs', 'ns'));
  const pod = obj('pod', 'ns', { ownerReferences: [ref('rs')] });
  add(b, 'Pod', 'v1', pod);
  sink.reset();
  const unblocked = obj('pod', 'ns', { ownerReferences: [ref('rs', 'rs', false)] });
  add(b, 'Pod', 'v1', unblocked, pod);
  assert.deepEqual(sink.deletes, ['rs']);
  sink.reset();
  add(b, 'Pod', 'v1', obj('pod', 'ns', { ownerReferences: [] }), unblocked);
  assert.deepEqual(sink.deletes, [], 'a non-blocking reference removed unblocks nothing');
  assert.equal(b.graph.get('rs')!.dependents.size, 0);
});

test('a virtual delete removes a virtual owner and queues its dependents; an observed node with other coordinates stays', () => {
  const sink = fakeSink();
  const b = new GraphBuilder(sink);
  add(b, 'Pod', 'v1', obj('pod', 'ns', { ownerReferences: [ref('ghost')] }));
  sink.reset();
  b.process({ type: 'virtual-delete', identity: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'ghost', uid: 'ghost', namespace: 'ns' } });
  assert.equal(b.graph.get('ghost'), undefined);
  assert.deepEqual(sink.deletes, ['pod']);

  add(b, 'ReplicaSet', 'apps/v1', obj('rs', 'ns'));
  add(b, 'Pod', 'v1', obj('p2', 'ns', { ownerReferences: [ref('rs', 'renamed')] }));
  sink.reset();
  b.process({ type: 'virtual-delete', identity: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'renamed', uid: 'rs', namespace: 'ns' } });
  assert.ok(b.graph.get('rs'), 'the observed ReplicaSet stays');
  assert.deepEqual(sink.deletes, ['p2']);
});

test('dependents that disagree on a virtual owner keep it, under the next identity to verify', () => {
  const sink = fakeSink();
  const b = new GraphBuilder(sink);
  add(b, 'Pod', 'v1', obj('a', 'ns', { ownerReferences: [ref('o', 'first')] }));
  add(b, 'Pod', 'v1', obj('b', 'ns', { ownerReferences: [ref('o', 'second')] }));
  sink.reset();
  b.process({ type: 'virtual-delete', identity: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'first', uid: 'o', namespace: 'ns' } });
  assert.equal(b.graph.get('o')?.identity.name, 'second');
  assert.deepEqual(sink.deletes, ['a', 'o']);
});
