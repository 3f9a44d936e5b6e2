import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../lib/index.js';
import { InformerFactory, listerWatcher } from './informer-factory.js';
import { RestClient, type KubeObject, type ResourceType } from './rest-client.js';
import type { Transport, TransportRequest, TransportResponse, TransportStream } from './transport.js';

const PODS: ResourceType = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
const DEPLOYMENTS: ResourceType = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true };

/** Lists answer with one object per resource; watches send one event, then stay open until aborted. */
class FakeTransport implements Transport {
  readonly urls: string[] = [];

  async request(req: TransportRequest): Promise<TransportResponse> {
    this.urls.push(req.url);
    const resource = new URL(req.url, 'https://x').pathname.split('/').at(-1);
    const body = { metadata: { resourceVersion: '10' }, items: [{ metadata: { namespace: 'ns', name: `${resource}-1`, resourceVersion: '5' } }] };
    return { status: 200, headers: {}, body: Buffer.from(JSON.stringify(body)) };
  }

  async stream(req: TransportRequest): Promise<TransportStream> {
    this.urls.push(req.url);
    const signal = req.signal;
    return {
      status: 200,
      headers: {},
      body: (async function* () {
        yield Buffer.from(JSON.stringify({ type: 'ADDED', object: { metadata: { namespace: 'ns', name: 'watched', resourceVersion: '11' } } }) + '\n');
        await new Promise<void>((resolve) => {
          if (signal?.aborted) resolve();
          signal?.addEventListener('abort', () => resolve(), { once: true });
        });
      })(),
    };
  }

  close(): void {}
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

test('one informer per resource and scope', () => {
  const factory = new InformerFactory(new RestClient(new FakeTransport()), { clock: new ManualClock() });
  const a = factory.informer(PODS);
  assert.equal(factory.informer(PODS), a);
  assert.equal(factory.informer(PODS, { namespace: '' }), a);
  assert.notEqual(factory.informer(PODS, { namespace: 'ns' }), a);
  assert.notEqual(factory.informer(PODS, { labelSelector: 'app=web' }), a);
  assert.notEqual(factory.informer(PODS, { fieldSelector: 'spec.nodeName=n1' }), a);
  assert.notEqual(factory.informer(DEPLOYMENTS), a);
  assert.equal(factory.informer(PODS, { namespace: 'ns' }), factory.informer(PODS, { namespace: 'ns' }));
});

test('listerWatcher lists and watches within the namespace and selectors of its scope', async () => {
  const transport = new FakeTransport();
  const lw = listerWatcher<KubeObject>(new RestClient(transport), PODS, { namespace: 'ns', labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1' });
  const controller = new AbortController();
  const list = await lw.list({ resourceVersion: '0' }, controller.signal);
  assert.equal(list.items.length, 1);
  const u = new URL(transport.urls[0]!, 'https://x');
  assert.equal(u.pathname, '/api/v1/namespaces/ns/pods');
  assert.deepEqual(Object.fromEntries(u.searchParams), { resourceVersion: '0', labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1' });
  const events = lw.watch({ resourceVersion: '10', allowWatchBookmarks: true }, controller.signal)[Symbol.asyncIterator]();
  assert.equal((await events.next()).value?.object.metadata?.name, 'watched');
  const w = new URL(transport.urls[1]!, 'https://x');
  assert.deepEqual(Object.fromEntries(w.searchParams), { resourceVersion: '10', allowWatchBookmarks: 'true', labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1', watch: 'true' });
  const next = events.next();
  controller.abort();
  assert.equal((await next).done, true);
});

test('start runs informers not yet running; waitForCacheSync and stopped follow them', async () => {
  const transport = new FakeTransport();
  const factory = new InformerFactory(new RestClient(transport), { clock: new ManualClock() });
  const pods = factory.informer<KubeObject>(PODS);
  const controller = new AbortController();
  factory.start(controller.signal);
  await factory.waitForCacheSync(controller.signal);
  assert.equal(pods.hasSynced(), true);
  await settle();
  assert.deepEqual(pods.store.keys().sort(), ['ns/pods-1', 'ns/watched']);

  const deployments = factory.informer<KubeObject>(DEPLOYMENTS, { namespace: 'ns' });
  assert.equal(deployments.isStarted, false);
  factory.start(controller.signal);
  assert.equal(deployments.isStarted, true);
  await factory.waitForCacheSync(controller.signal);
  assert.deepEqual(deployments.store.keys(), ['ns/deployments-1']);
  const lists = transport.urls.filter((u) => !u.includes('watch=true'));
  assert.equal(lists.length, 2, 'the running informer was not started again');

  controller.abort();
  await factory.stopped();
});
