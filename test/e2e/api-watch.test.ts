// Watch semantics and the two Event APIs over raw HTTPS against the real `skiff apiserver` process, on both
// storage backends. Expectations are upstream kube-apiserver v1.32's (the cacher in apiserver/pkg/storage/cacher).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAuditIds, BACKENDS, backendSkipReason, startApiCluster, uniqueSuffix, type ApiCluster } from '../support/api-cluster.js';
import type { HttpsClient, WatchEvent } from '../support/https-client.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const cm = (name: string, labels?: Record<string, string>, data: Record<string, string> = { k: 'v' }) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});
const summary = (events: readonly WatchEvent[]) => events.map((e) => `${e.type} ${e.object?.metadata?.name ?? ''}`);

for (const backend of BACKENDS) {
  describe(`watch and events on ${backend}`, { skip: backendSkipReason(backend) }, () => {
    let cluster: ApiCluster;
    let api: HttpsClient;
    const s = uniqueSuffix();

    async function namespace(prefix: string): Promise<string> {
      const name = `${prefix}-${s}`;
      const res = await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      assert.equal(res.status, 201, res.body);
      return name;
    }
    async function create(path: string, body: unknown): Promise<any> {
      const res = await api.post(path, body);
      assert.equal(res.status, 201, `POST ${path}: ${res.body}`);
      return res.json();
    }
    async function put(path: string, body: unknown): Promise<any> {
      const res = await api.put(path, body);
      assert.equal(res.status, 200, `PUT ${path}: ${res.body}`);
      return res.json();
    }
    async function listRv(path: string): Promise<string> {
      const res = await api.get(path);
      assert.equal(res.status, 200, res.body);
      return res.json().metadata.resourceVersion as string;
    }

    before(async () => {
      cluster = await startApiCluster(backend);
      api = cluster.admin;
    });
    after(async () => {
      await cluster?.stop();
    });

    test('a watch is a 200 chunked stream of {"type","object"} lines', async () => {
      const ns = await namespace('stream');
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const rv = await listRv(path);
      const w = await api.watch(`${path}?watch=true&resourceVersion=${rv}`);
      try {
        assert.equal(w.status, 200);
        assert.match(String(w.headers['content-type']), /^application\/json/);
        assert.equal(w.headers['transfer-encoding'], 'chunked');
        const created = await create(path, cm('a'));
        const updated = await put(`${path}/a`, { ...created, data: { k: 'v2' } });
        const deleted = await api.delete(`${path}/a`);
        assert.equal(deleted.status, 200);
        const events = await w.collectUntil((e) => e.length >= 3);
        assert.deepEqual(summary(events), ['ADDED a', 'MODIFIED a', 'DELETED a']);
        for (const e of events) {
          assert.deepEqual(Object.keys(e), ['type', 'object']);
          assert.equal(e.object.kind, 'ConfigMap');
          assert.equal(e.object.apiVersion, 'v1');
        }
        assert.equal(events[0]!.object.metadata.resourceVersion, created.metadata.resourceVersion);
        assert.equal(events[1]!.object.metadata.resourceVersion, updated.metadata.resourceVersion);
        assert.ok(Number(events[2]!.object.metadata.resourceVersion) > Number(updated.metadata.resourceVersion), 'DELETED carries the deletion\'s revision');
        assert.ok(!w.raw().includes('\n\n'), 'one event per line');
      } finally {
        w.abort();
      }
    });

    test('resuming from a list\'s resourceVersion misses nothing across a burst of 50 creates', async () => {
      const ns = await namespace('burst');
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const rv = await listRv(path);
      const live = await api.watch(`${path}?watch=true&resourceVersion=${rv}`);
      try {
        const expected = Array.from({ length: 50 }, (_, i) => `cm-${String(i).padStart(2, '0')}`);
        await Promise.all(expected.map((name) => create(path, cm(name))));
        const resumed = await api.watch(`${path}?watch=true&resourceVersion=${rv}`);
        try {
          for (const [label, w] of [['live', live], ['resumed', resumed]] as const) {
            const events = await w.collectUntil((e) => e.length >= 50);
            assert.equal(events.length, 50, `${label}: ${summary(events).join(', ')}`);
            assert.ok(events.every((e) => e.type === 'ADDED'), label);
            assert.deepEqual(events.map((e) => e.object.metadata.name as string).sort(), expected, `${label}: every create exactly once`);
            const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
            assert.ok(rvs.every((r, i) => i === 0 || r > rvs[i - 1]!), `${label}: in resourceVersion order`);
          }
        } finally {
          resumed.abort();
        }
        // Resuming from the middle of the burst gives exactly the rest.
        const list = (await api.get(path)).json();
        const byRv = (list.items as any[]).map((i) => Number(i.metadata.resourceVersion)).sort((a, b) => a - b);
        const middle = byRv[24]!;
        const rest = await api.watch(`${path}?watch=true&resourceVersion=${middle}`);
        try {
          await create(path, cm('sentinel'));
          const events = await rest.collectUntil((e) => e.some((x) => x.object?.metadata?.name === 'sentinel'));
          assert.deepEqual(
            events.map((e) => Number(e.object.metadata.resourceVersion)),
            [...byRv.slice(25), Number(events.at(-1)!.object.metadata.resourceVersion)],
          );
        } finally {
          rest.abort();
        }
      } finally {
        live.abort();
      }
    });

    test('a watch from a resourceVersion older than the watch cache\'s history is 200 with one ERROR 410 Expired', async () => {
      const small = await startApiCluster(backend, ['--watch-cache-size', '10']);
      try {
        const ns = `expired-${s}`;
        assert.equal((await small.admin.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status, 201);
        const path = `/api/v1/namespaces/${ns}/configmaps`;
        for (let i = 0; i < 40; i++) assert.equal((await small.admin.post(path, cm(`c${i}`))).status, 201);
        const w = await small.admin.watch(`${path}?watch=true&resourceVersion=1`);
        assert.equal(w.status, 200, 'errors after the watch was accepted are sent in the stream');
        const events = await w.drain();
        assert.equal(events.length, 1, JSON.stringify(events));
        const [ev] = events;
        assert.equal(ev!.type, 'ERROR');
        const { message, ...rest } = ev!.object;
        assert.deepEqual(rest, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Expired', code: 410 });
        assert.match(message, /^too old resource version: 1 \(\d+\)$/);
        assertAuditIds(small.admin);
      } finally {
        await small.stop();
      }
    });

    test('allowWatchBookmarks=true gets a BOOKMARK before the timeout ends the stream; without it there is none', async () => {
      const ns = await namespace('bookmarks');
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      await create(path, cm('present'));
      const rv = await listRv(path);
      // upstream's cacheWatcher.nextBookmarkTime sends a bookmark 2 s before the watch's deadline (none when that
      // moment has already passed, as for timeoutSeconds=1): timeoutSeconds=3 is the shortest that gets one.
      const started = Date.now();
      const w = await api.watch(`${path}?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=3`);
      const events = await w.drain(10_000);
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 2500 && elapsed < 8000, `the stream ends at the timeout (${elapsed} ms)`);
      const bookmarks = events.filter((e) => e.type === 'BOOKMARK');
      assert.ok(bookmarks.length >= 1, `a BOOKMARK arrives: ${JSON.stringify(events)}`);
      assert.deepEqual(events.map((e) => e.type), bookmarks.map(() => 'BOOKMARK'), 'nothing changed, so nothing but bookmarks');
      const bm = bookmarks.at(-1)!.object;
      assert.equal(bm.kind, 'ConfigMap');
      assert.equal(bm.apiVersion, 'v1');
      assert.ok(Number(bm.metadata.resourceVersion) >= Number(rv), `bookmark resourceVersion ${bm.metadata.resourceVersion} >= ${rv}`);

      const plain = await api.watch(`${path}?watch=true&resourceVersion=${rv}&timeoutSeconds=3`);
      const none = await plain.drain(10_000);
      assert.deepEqual(none, [], 'no BOOKMARK without allowWatchBookmarks');
    });

    test('timeoutSeconds=1 ends the stream', async () => {
      const ns = await namespace('timeout');
      const started = Date.now();
      const w = await api.watch(`/api/v1/namespaces/${ns}/configmaps?watch=true&timeoutSeconds=1`);
      assert.equal(w.status, 200);
      await w.drain(6000);
      const elapsed = Date.now() - started;
      assert.ok(w.finished);
      assert.ok(elapsed >= 900 && elapsed < 5000, `ended after ${elapsed} ms`);
    });

    test('a labelSelector watch sees ADDED when an object gains the label and DELETED when it loses it', async () => {
      const ns = await namespace('transition');
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const rv = await listRv(path);
      const w = await api.watch(`${path}?watch=true&resourceVersion=${rv}&labelSelector=app%3Da`);
      try {
        const x0 = await create(path, cm('x'));
        const x1 = await put(`${path}/x`, { ...x0, metadata: { ...x0.metadata, labels: { app: 'a' } } });
        const x2 = await put(`${path}/x`, { ...x1, data: { k: 'v2' } });
        const x3 = await put(`${path}/x`, { ...x2, metadata: { ...x2.metadata, labels: { app: 'b' } } });
        assert.equal((await api.delete(`${path}/x`)).status, 200);
        await create(path, cm('sentinel', { app: 'a' }));
        const events = await w.collectUntil((e) => e.some((x) => x.object?.metadata?.name === 'sentinel'));
        assert.deepEqual(summary(events), ['ADDED x', 'MODIFIED x', 'DELETED x', 'ADDED sentinel']);
        assert.equal(events[0]!.object.metadata.resourceVersion, x1.metadata.resourceVersion);
        assert.deepEqual(events[2]!.object.metadata.labels, { app: 'a' }, 'DELETED carries the last matching state');
        assert.equal(events[2]!.object.metadata.resourceVersion, x3.metadata.resourceVersion, 'at the revision of the change');
      } finally {
        w.abort();
      }
    });

    test('a watch without resourceVersion starts with ADDED events for the existing objects', async () => {
      const ns = await namespace('initial');
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      for (const name of ['one', 'two', 'three']) await create(path, cm(name));
      const w = await api.watch(`${path}?watch=true`);
      try {
        const initial = await w.collectUntil((e) => e.length >= 3);
        assert.deepEqual(summary(initial).sort(), ['ADDED one', 'ADDED three', 'ADDED two']);
        await create(path, cm('four'));
        assert.deepEqual(summary(await w.collectUntil((e) => e.length >= 1)), ['ADDED four']);
      } finally {
        w.abort();
      }
    });

    test('core/v1 and events.k8s.io/v1 Events are one stored object, each served in its own shape', async () => {
      const core = `core-ev-${s}`;
      const modern = `modern-ev-${s}`;
      const regarding = { kind: 'Pod', namespace: 'default', name: 'p', apiVersion: 'v1' };
      const created = await create('/api/v1/namespaces/default/events', {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: core },
        involvedObject: regarding,
        reason: 'Testing',
        message: 'hello from core/v1',
        type: 'Normal',
        source: { component: 'skiff-test' },
        count: 2,
        firstTimestamp: '2024-01-01T00:00:00Z',
        lastTimestamp: '2024-01-01T00:00:05Z',
        reportingComponent: 'skiff-test',
        reportingInstance: 'instance-1',
      });
      const asV1 = await api.get(`/apis/events.k8s.io/v1/namespaces/default/events/${core}`);
      assert.equal(asV1.status, 200, asV1.body);
      const e1 = asV1.json();
      assert.equal(e1.kind, 'Event');
      assert.equal(e1.apiVersion, 'events.k8s.io/v1');
      assert.equal(e1.note, 'hello from core/v1');
      assert.deepEqual(e1.regarding, regarding);
      assert.deepEqual(e1.deprecatedSource, { component: 'skiff-test' });
      assert.equal(e1.deprecatedCount, 2);
      assert.equal(e1.deprecatedFirstTimestamp, '2024-01-01T00:00:00Z');
      assert.equal(e1.reportingController, 'skiff-test');
      assert.equal(e1.reason, 'Testing');
      for (const k of ['message', 'involvedObject', 'source', 'count', 'reportingComponent']) assert.equal(e1[k], undefined, k);
      assert.equal(e1.metadata.uid, created.metadata.uid);
      assert.equal(e1.metadata.resourceVersion, created.metadata.resourceVersion);

      await create('/apis/events.k8s.io/v1/namespaces/default/events', {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name: modern },
        eventTime: '2024-01-01T00:00:00.000000Z',
        reportingController: 'skiff.test/controller',
        reportingInstance: 'instance-1',
        action: 'Testing',
        reason: 'Tested',
        note: 'hello from events.k8s.io/v1',
        type: 'Normal',
        regarding,
      });
      const asCore = await api.get(`/api/v1/namespaces/default/events/${modern}`);
      assert.equal(asCore.status, 200, asCore.body);
      const c1 = asCore.json();
      assert.equal(c1.apiVersion, 'v1');
      assert.equal(c1.message, 'hello from events.k8s.io/v1');
      assert.deepEqual(c1.involvedObject, regarding);
      assert.equal(c1.reportingComponent, 'skiff.test/controller');
      assert.equal(c1.action, 'Testing');
      for (const k of ['note', 'regarding', 'reportingController']) assert.equal(c1[k], undefined, k);

      for (const path of ['/api/v1/namespaces/default/events', '/apis/events.k8s.io/v1/namespaces/default/events']) {
        const names = ((await api.get(path)).json().items as any[]).map((i) => i.metadata.name);
        assert.ok(names.includes(core) && names.includes(modern), `${path}: ${names.join(', ')}`);
      }

      if (backend === 'etcd') {
        const keys = cluster.etcdKeys('/registry/events/');
        assert.deepEqual(keys.filter((k) => k === `/registry/events/default/${core}`), [`/registry/events/default/${core}`]);
        assert.deepEqual(keys.filter((k) => k === `/registry/events/default/${modern}`), [`/registry/events/default/${modern}`]);
        const everywhere = cluster.etcdKeys('/registry/').filter((k) => k.includes(core) || k.includes(modern));
        assert.deepEqual(everywhere.sort(), [`/registry/events/default/${core}`, `/registry/events/default/${modern}`], 'stored once, under /registry/events');
      }
    });

    test('every response carried an Audit-Id header', () => {
      assertAuditIds(api);
    });
  });
}
