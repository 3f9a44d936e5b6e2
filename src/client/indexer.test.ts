import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from './rest-client.js';
import { CONTROLLER_UID_INDEX, Indexer, NAMESPACE_INDEX, controllerUIDIndexFunc, namespaceIndexFunc, objectKey, splitObjectKey } from './indexer.js';

interface Labeled extends KubeObject {
  spec?: { node?: string };
}

function obj(namespace: string, name: string, labels: Record<string, string> = {}, node?: string): Labeled {
  return { metadata: { namespace: namespace || undefined, name, labels }, spec: { node } };
}

const byApp = (o: Labeled) => (o.metadata?.labels?.app ? [o.metadata.labels.app] : []);
const byNode = (o: Labeled) => (o.spec?.node ? [o.spec.node] : []);
const names = (list: KubeObject[]) => list.map((o) => o.metadata?.name).sort();

test('objectKey and splitObjectKey: namespaced and cluster-scoped', () => {
  assert.equal(objectKey({ metadata: { namespace: 'ns', name: 'a' } }), 'ns/a');
  assert.equal(objectKey({ metadata: { name: 'node-1' } }), 'node-1');
  assert.equal(objectKey({ metadata: { namespace: '', name: 'node-1' } }), 'node-1');
  assert.deepEqual(splitObjectKey('ns/a'), { namespace: 'ns', name: 'a' });
  assert.deepEqual(splitObjectKey('node-1'), { namespace: '', name: 'node-1' });
});

test('cluster-scoped objects are stored by name and indexed under the empty namespace', () => {
  const store = new Indexer<Labeled>();
  store.set(obj('', 'node-1'));
  store.set(obj('ns', 'node-1'));
  assert.deepEqual(store.keys().sort(), ['node-1', 'ns/node-1']);
  assert.equal(store.getByName('', 'node-1')?.metadata?.namespace, undefined);
  assert.equal(store.getByName('ns', 'node-1')?.metadata?.namespace, 'ns');
  assert.deepEqual(names(store.byIndex(NAMESPACE_INDEX, '')), ['node-1']);
  assert.equal(store.byIndex(NAMESPACE_INDEX, 'ns').length, 1);
});

test('set, replace and delete keep every index in step', () => {
  const store = new Indexer<Labeled>({ [NAMESPACE_INDEX]: namespaceIndexFunc, app: byApp, node: byNode });
  assert.equal(store.set(obj('ns', 'a', { app: 'web' }, 'n1')), undefined);
  store.set(obj('ns', 'b', { app: 'web' }, 'n1'));
  store.set(obj('other', 'c', { app: 'db' }));
  assert.deepEqual(names(store.byIndex('app', 'web')), ['a', 'b']);
  assert.deepEqual(names(store.byIndex('node', 'n1')), ['a', 'b']);

  // a moves from app=web to app=db and from n1 to n2.
  const old = store.set(obj('ns', 'a', { app: 'db' }, 'n2'));
  assert.equal(old?.metadata?.labels?.app, 'web');
  assert.deepEqual(names(store.byIndex('app', 'web')), ['b']);
  assert.deepEqual(names(store.byIndex('app', 'db')), ['a', 'c']);
  assert.deepEqual(names(store.byIndex('node', 'n1')), ['b']);
  assert.deepEqual(names(store.byIndex('node', 'n2')), ['a']);
  assert.equal(store.size, 3);

  // a loses its node: it leaves that index without entering another.
  store.set(obj('ns', 'a', { app: 'db' }));
  assert.deepEqual(store.byIndex('node', 'n2'), []);

  assert.equal(store.delete('ns/b')?.metadata?.name, 'b');
  assert.equal(store.delete('ns/b'), undefined);
  assert.deepEqual(store.byIndex('app', 'web'), []);
  assert.deepEqual(store.byIndex('node', 'n1'), []);
  assert.deepEqual(names(store.byIndex(NAMESPACE_INDEX, 'ns')), ['a']);
  assert.equal(store.get('ns/b'), undefined);
  assert.equal(store.size, 2);
});

test('an index function may return several values, and each is kept in step', () => {
  const byLabelValues = (o: Labeled) => Object.values(o.metadata?.labels ?? {});
  const store = new Indexer<Labeled>({ values: byLabelValues });
  store.set(obj('ns', 'a', { x: 'one', y: 'two' }));
  assert.deepEqual(names(store.byIndex('values', 'one')), ['a']);
  assert.deepEqual(names(store.byIndex('values', 'two')), ['a']);
  store.set(obj('ns', 'a', { x: 'two', y: 'three' }));
  assert.deepEqual(store.byIndex('values', 'one'), []);
  assert.deepEqual(names(store.byIndex('values', 'two')), ['a']);
  assert.deepEqual(names(store.byIndex('values', 'three')), ['a']);
  store.delete('ns/a');
  assert.deepEqual(store.byIndex('values', 'two'), []);
  assert.deepEqual(store.byIndex('values', 'three'), []);
});

test('byIndex on an unknown index throws', () => {
  const store = new Indexer<Labeled>();
  assert.throws(() => store.byIndex('nope', 'x'), /index "nope" does not exist/);
});

test('addIndexers after items exist indexes them, and later changes keep the new index in step', () => {
  const store = new Indexer<Labeled>();
  store.set(obj('ns', 'a', { app: 'web' }));
  store.set(obj('ns', 'b', { app: 'db' }));
  store.addIndexers({ app: byApp });
  assert.deepEqual(names(store.byIndex('app', 'web')), ['a']);
  store.set(obj('ns', 'b', { app: 'web' }));
  assert.deepEqual(names(store.byIndex('app', 'web')), ['a', 'b']);
  assert.deepEqual(store.byIndex('app', 'db'), []);
  assert.throws(() => store.addIndexers({ app: byApp }), /already exists/);
  assert.throws(() => store.addIndexers({ [NAMESPACE_INDEX]: namespaceIndexFunc }), /already exists/);
});

test('the controller-uid index follows the controlling ownerReference only', () => {
  const store = new Indexer<KubeObject>({ [CONTROLLER_UID_INDEX]: controllerUIDIndexFunc });
  const ref = (uid: string, controller?: boolean) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: uid, uid, controller });
  store.set({ metadata: { namespace: 'ns', name: 'p1', ownerReferences: [ref('u0'), ref('u1', true)] } });
  store.set({ metadata: { namespace: 'ns', name: 'p2', ownerReferences: [ref('u0', false)] } });
  assert.deepEqual(names(store.byIndex(CONTROLLER_UID_INDEX, 'u1')), ['p1']);
  assert.deepEqual(store.byIndex(CONTROLLER_UID_INDEX, 'u0'), []);
  store.set({ metadata: { namespace: 'ns', name: 'p1', ownerReferences: [ref('u2', true)] } });
  assert.deepEqual(store.byIndex(CONTROLLER_UID_INDEX, 'u1'), []);
  assert.deepEqual(names(store.byIndex(CONTROLLER_UID_INDEX, 'u2')), ['p1']);
});
