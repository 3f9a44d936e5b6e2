// The REST client and informers against a real `skiff apiserver` process over HTTPS/HTTP2.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError, findKindByGVK } from '../../src/api/index.js';
import { Http2Transport, InformerFactory, loadClientConfig, RestClient, type ResourceClient } from '../../src/client/index.js';
import { realClock } from '../../src/lib/index.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';

let server: SkiffProcess;
let transport: Http2Transport;
let client: RestClient;
let pods: ResourceClient<Pod>;
before(async () => {
  server = await startApiserver();
  const config = loadClientConfig(server.kubeconfig);
  transport = new Http2Transport(config);
  client = new RestClient(transport, { namespace: config.namespace });
  pods = client.resource<Pod>(findKindByGVK('', 'v1', 'Pod')!);
});
after(async () => {
  transport?.close();
  await server?.stop();
});

const pod = (name: string, labels: Record<string, string> = {}): Pod => ({ metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

/** Waits (bounded) for a condition that informer handlers make true. */
async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

test('the typed client creates, reads, lists, patches and deletes, and errors are ApiErrors with the Status', async () => {
  const created = await pods.create('default', pod('c1', { app: 'x' }));
  assert.equal(created.metadata?.name, 'c1');
  assert.ok(created.metadata?.uid);
  assert.equal((await pods.get('default', 'c1')).metadata?.uid, created.metadata?.uid);
  const list = await pods.list('default', { labelSelector: 'app=x' });
  assert.deepEqual(list.items.map((p) => p.metadata?.name), ['c1']);
  assert.match(list.metadata.resourceVersion ?? '', /^\d+$/);
  const patched = await pods.patch('default', 'c1', 'strategic', { metadata: { labels: { tier: 'web' } } });
  assert.deepEqual(patched.metadata?.labels, { app: 'x', tier: 'web' });
  const conflict = await pods.create('default', pod('c1')).catch((e: unknown) => e);
  assert.ok(conflict instanceof ApiError);
  assert.equal(conflict.code, 409);
  assert.equal(conflict.status.reason, 'AlreadyExists');
  assert.equal(conflict.message, 'pods "c1" already exists');
  await pods.delete('default', 'c1');
  const missing = await pods.get('default', 'c1').catch((e: unknown) => e);
  assert.ok(missing instanceof ApiError);
  assert.equal(missing.code, 404);
  assert.equal(missing.status.details?.name, 'c1');
});

test('a watch is an async iterable of events, ended by its signal', async () => {
  const list = await pods.list('default');
  const ac = new AbortController();
  const seen: string[] = [];
  const done = (async () => {
    for await (const ev of pods.watch('default', { resourceVersion: list.metadata.resourceVersion }, ac.signal)) {
      seen.push(`${ev.type} ${ev.object.metadata?.name}`);
      if (seen.length === 3) ac.abort();
    }
  })();
  await pods.create('default', pod('w1'));
  await pods.patch('default', 'w1', 'merge', { metadata: { labels: { a: 'b' } } });
  await pods.delete('default', 'w1');
  await done;
  assert.deepEqual(seen, ['ADDED w1', 'MODIFIED w1', 'DELETED w1']);
});

test('a shared informer syncs, indexes, and tells handlers about adds, updates and deletes with the final state', async () => {
  await pods.create('default', pod('i1', { app: 'inf' }));
  const factory = new InformerFactory(client, { clock: realClock });
  const informer = factory.informer<Pod>(pods.type, { labelSelector: 'app=inf' });
  assert.equal(factory.informer<Pod>(pods.type, { labelSelector: 'app=inf' }), informer, 'one informer per resource and scope');
  const events: string[] = [];
  informer.addEventHandler({
    onAdd: (p, initial) => events.push(`add ${p.metadata?.name} ${initial}`),
    onUpdate: (o, n) => events.push(`update ${n.metadata?.name} ${o.metadata?.labels?.v ?? ''}->${n.metadata?.labels?.v ?? ''}`),
    onDelete: (p) => events.push(`delete ${p.metadata?.name} ${p.metadata?.labels?.v ?? ''}`),
  });
  const ac = new AbortController();
  try {
    factory.start(ac.signal);
    await factory.waitForCacheSync(ac.signal);
    assert.ok(informer.hasSynced());
    assert.deepEqual(events, ['add i1 true']);
    await pods.create('default', pod('i2', { app: 'inf' }));
    await pods.patch('default', 'i2', 'merge', { metadata: { labels: { v: '2' } } });
    await pods.delete('default', 'i2');
    await until('the delete of i2', () => events.length === 4);
    assert.deepEqual(events.slice(1), ['add i2 false', 'update i2 ->2', 'delete i2 2']);
    assert.deepEqual(informer.store.byIndex('namespace', 'default').map((p) => p.metadata?.name), ['i1']);
    const late: string[] = [];
    informer.addEventHandler({ onAdd: (p, initial) => late.push(`${p.metadata?.name} ${initial}`) });
    assert.deepEqual(late, ['i1 true'], 'a handler added after the sync gets the cache as adds');
  } finally {
    ac.abort();
    await factory.stopped();
  }
});

test('discovery lists every served top-level resource with its verbs, in each group preferred version', async () => {
  const { discoverResources } = await import('../../src/client/index.js');
  const resources = await discoverResources(client);
  const find = (group: string, resource: string) => resources.find((r) => r.group === group && r.resource === resource);
  assert.deepEqual({ ...find('', 'pods') }, { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, verbs: find('', 'pods')!.verbs });
  assert.ok(find('', 'pods')!.verbs.includes('deletecollection'));
  assert.equal(find('apps', 'replicasets')?.kind, 'ReplicaSet');
  assert.equal(find('', 'namespaces')?.namespaced, false);
  assert.equal(resources.some((r) => r.resource.includes('/')), false, 'no subresources');
});
