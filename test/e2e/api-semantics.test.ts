// Create, delete and list semantics of the API server over raw HTTPS against the real `skiff apiserver` process,
// on both storage backends. Expectations are upstream kube-apiserver v1.32's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAuditIds, BACKENDS, backendSkipReason, startApiCluster, uniqueSuffix, type ApiCluster } from '../support/api-cluster.js';
import type { HttpsClient } from '../support/https-client.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const cm = (name: string, labels?: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}), ...extra },
  data: { k: 'v' },
});
const pod = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
});

for (const backend of BACKENDS) {
  describe(`create, delete and list on ${backend}`, { skip: backendSkipReason(backend) }, () => {
    let cluster: ApiCluster;
    let api: HttpsClient;
    const s = uniqueSuffix();

    /** Creates a namespace for one test and returns its ConfigMaps path. */
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
    async function names(path: string): Promise<string[]> {
      const res = await api.get(path);
      assert.equal(res.status, 200, `GET ${path}: ${res.body}`);
      return (res.json().items as any[]).map((i) => i.metadata.name as string).sort();
    }

    before(async () => {
      cluster = await startApiCluster(backend);
      api = cluster.admin;
    });
    after(async () => {
      await cluster?.stop();
    });

    // ---- create ----

    test('generateName gives <prefix> + 5 characters of upstream\'s alphabet; uid, creationTimestamp, resourceVersion are set', async () => {
      const ns = await namespace('gen');
      const seen = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const obj = await create(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'web-' } });
        assert.match(obj.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
        assert.equal(obj.metadata.generateName, 'web-');
        assert.match(obj.metadata.uid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.match(obj.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.match(obj.metadata.resourceVersion, /^[1-9]\d*$/);
        assert.equal(obj.metadata.namespace, ns);
        seen.add(obj.metadata.name);
      }
      assert.equal(seen.size, 5);
      assert.deepEqual(await names(`/api/v1/namespaces/${ns}/configmaps`), [...seen].sort());
    });

    test('dryRun=All returns the object and stores nothing', async () => {
      const ns = await namespace('dry');
      const res = await api.post(`/api/v1/namespaces/${ns}/configmaps?dryRun=All`, cm('dry'));
      assert.equal(res.status, 201, res.body);
      const obj = res.json();
      assert.equal(obj.metadata.name, 'dry');
      assert.ok(obj.metadata.uid);
      assert.ok(obj.metadata.creationTimestamp);
      assert.deepEqual(obj.data, { k: 'v' });
      assert.equal((await api.get(`/api/v1/namespaces/${ns}/configmaps/dry`)).status, 404);
      assert.deepEqual(await names(`/api/v1/namespaces/${ns}/configmaps`), []);
    });

    test('generation is 1 on a ReplicaSet, bumps on a spec change and not on a label change', async () => {
      const ns = await namespace('gen-rs');
      const path = `/apis/apps/v1/namespaces/${ns}/replicasets`;
      const template = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
      const rs = await create(path, { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { replicas: 1, selector: { matchLabels: { app: 'a' } }, template } });
      assert.equal(rs.metadata.generation, 1);
      const scaled = await api.put(`${path}/rs`, { ...rs, spec: { ...rs.spec, replicas: 3 } });
      assert.equal(scaled.status, 200, scaled.body);
      const v2 = scaled.json<any>();
      assert.equal(v2.metadata.generation, 2);
      const labelled = await api.put(`${path}/rs`, { ...v2, metadata: { ...v2.metadata, labels: { extra: 'yes' } } });
      assert.equal(labelled.status, 200, labelled.body);
      assert.equal(labelled.json().metadata.generation, 2);
      assert.deepEqual(labelled.json().metadata.labels, { extra: 'yes' });
    });

    test('empty maps and lists are left out of the answer, as Go\'s omitempty does', async () => {
      const ns = await namespace('empty');
      const obj = await create(`/api/v1/namespaces/${ns}/configmaps`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'e', labels: {}, annotations: {}, finalizers: [] },
        data: {},
      });
      assert.deepEqual(Object.keys(obj.metadata).sort(), ['creationTimestamp', 'name', 'namespace', 'resourceVersion', 'uid']);
      assert.equal(obj.data, undefined);
      const updated = await api.put(`/api/v1/namespaces/${ns}/configmaps/e`, { ...obj, metadata: { ...obj.metadata, finalizers: [] }, data: {} });
      assert.equal(updated.status, 200, updated.body);
      assert.equal(updated.json().metadata.finalizers, undefined);
      assert.equal(updated.json().data, undefined);
    });

    test('the namespaces default, kube-system, kube-public and kube-node-lease exist', async () => {
      for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
        const res = await api.get(`/api/v1/namespaces/${name}`);
        assert.equal(res.status, 200, `${name}: ${res.body}`);
        assert.equal(res.json().status.phase, 'Active');
        assert.deepEqual(res.json().spec, { finalizers: ['kubernetes'] });
      }
    });

    test('a created Pod gets status {phase: Pending, qosClass: BestEffort} and upstream\'s defaults', async () => {
      const ns = await namespace('pod-defaults');
      const p = await create(`/api/v1/namespaces/${ns}/pods`, pod('p', { containers: [{ name: 'c', image: 'nginx' }, { name: 'd', image: 'busybox:1.36' }] }));
      assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'BestEffort' });
      assert.equal(p.spec.restartPolicy, 'Always');
      assert.equal(p.spec.dnsPolicy, 'ClusterFirst');
      assert.equal(p.spec.terminationGracePeriodSeconds, 30);
      assert.equal(p.spec.schedulerName, 'default-scheduler');
      assert.deepEqual(p.spec.securityContext, {});
      assert.equal(p.spec.enableServiceLinks, true);
      const [c, d] = p.spec.containers;
      assert.deepEqual(c, { name: 'c', image: 'nginx', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' });
      assert.equal(d.imagePullPolicy, 'IfNotPresent', 'a tagged image other than :latest');
      assert.deepEqual((await api.get(`/api/v1/namespaces/${ns}/pods/p`)).json().spec, p.spec);
    });

    // ---- delete ----

    test('a ConfigMap with a finalizer is marked (deletionTimestamp) and stays; removing the finalizer removes it', async () => {
      const ns = await namespace('fin');
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      await create(path, cm('held', undefined, { finalizers: ['example.com/hold'] }));
      const res = await api.delete(`${path}/held`);
      assert.ok(res.status === 200 || res.status === 202, res.body); // the code itself: see the next test
      const marked = res.json();
      assert.equal(marked.kind, 'ConfigMap', 'the answer is the object as marked');
      assert.ok(marked.metadata.deletionTimestamp, 'deletionTimestamp is set');
      assert.equal(marked.metadata.deletionGracePeriodSeconds, 0);
      const stored = (await api.get(`${path}/held`)).json();
      assert.ok(stored.metadata.deletionTimestamp);
      assert.deepEqual(stored.metadata.finalizers, ['example.com/hold']);
      const released = await api.put(`${path}/held`, { ...stored, metadata: { ...stored.metadata, finalizers: [] } });
      assert.equal(released.status, 200, released.body);
      // upstream registry Store.Update: ShouldDeleteDuringUpdate (deletionGracePeriodSeconds 0, no finalizers left).
      assert.equal((await api.get(`${path}/held`)).status, 404, 'an update that empties the finalizers of a deleted object removes it');
    });

    test('DELETE answers 200 when the object stays (finalizer, graceful Pod), 202 only with orphanDependents=false', async () => {
      // upstream endpoints/handlers/delete.go: status is 200 unless the object was not deleted at once AND the
      // client set orphanDependents=false explicitly.
      const ns = await namespace('delcode');
      const cms = `/api/v1/namespaces/${ns}/configmaps`;
      await create(cms, cm('held', undefined, { finalizers: ['example.com/hold'] }));
      const plain = await api.delete(`${cms}/held`);
      assert.equal(plain.status, 200, `finalizer, plain DELETE: ${plain.body}`);
      await create(cms, cm('held2', undefined, { finalizers: ['example.com/hold'] }));
      const cascading = await api.delete(`${cms}/held2`, { kind: 'DeleteOptions', apiVersion: 'v1', orphanDependents: false });
      assert.equal(cascading.status, 202, `finalizer, orphanDependents=false: ${cascading.body}`);
      assert.ok(cascading.json().metadata.deletionTimestamp);
      const pods = `/api/v1/namespaces/${ns}/pods`;
      await create(pods, pod('bound', { nodeName: 'node-1' }));
      const graceful = await api.delete(`${pods}/bound`);
      assert.equal(graceful.status, 200, `graceful Pod: ${graceful.body}`);
    });

    test('a uid precondition that does not match is 409 and the object stays', async () => {
      const ns = await namespace('pre');
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const obj = await create(path, cm('x'));
      const wrong = '00000000-0000-0000-0000-000000000000';
      const res = await api.delete(`${path}/x`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: wrong } });
      assert.equal(res.status, 409, res.body);
      assert.equal(res.json().reason, 'Conflict');
      // upstream rest.BeforeDelete (registry/rest/delete.go) words it with the kind as the resource.
      assert.equal(
        res.json().message,
        `Operation cannot be fulfilled on ConfigMap "x": the UID in the precondition (${wrong}) does not match the UID in record (${obj.metadata.uid}). The object might have been deleted and then recreated`,
      );
      assert.equal((await api.get(`${path}/x`)).status, 200);
      const ok = await api.delete(`${path}/x`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: obj.metadata.uid } });
      assert.equal(ok.status, 200, ok.body);
      assert.equal((await api.get(`${path}/x`)).status, 404);
    });

    test('a DELETE that removes a ConfigMap answers upstream\'s Success Status; a GET then is 404 NotFound', async () => {
      const ns = await namespace('delstatus');
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const obj = await create(path, cm('x'));
      const ok = await api.delete(`${path}/x`);
      assert.equal(ok.status, 200, ok.body);
      // upstream registry Store.Delete: the resource in details.kind, empty fields (group of core) left out.
      assert.deepEqual(ok.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'x', kind: 'configmaps', uid: obj.metadata.uid } });
      const gone = await api.get(`${path}/x`);
      assert.equal(gone.status, 404);
      assert.deepEqual(gone.json(), {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'configmaps "x" not found',
        reason: 'NotFound',
        details: { name: 'x', kind: 'configmaps' },
        code: 404,
      });
    });

    test('an unbound Pod is deleted at once; a bound one is marked with a 30 s grace period; gracePeriodSeconds=0 removes it', async () => {
      const ns = await namespace('podel');
      const path = `/api/v1/namespaces/${ns}/pods`;
      await create(path, pod('unbound'));
      const gone = await api.delete(`${path}/unbound`);
      assert.equal(gone.status, 200, gone.body);
      assert.equal(gone.json().kind, 'Pod', 'pods answer a DELETE with the object');
      assert.equal((await api.get(`${path}/unbound`)).status, 404);

      await create(path, pod('bound', { nodeName: 'node-1' }));
      const marked = await api.delete(`${path}/bound`);
      assert.ok(marked.status === 200 || marked.status === 202, marked.body); // the code: see the test above
      assert.equal(marked.json().kind, 'Pod');
      assert.ok(marked.json().metadata.deletionTimestamp);
      assert.equal(marked.json().metadata.deletionGracePeriodSeconds, 30);
      const stored = await api.get(`${path}/bound`);
      assert.equal(stored.status, 200, 'a bound Pod stays until its kubelet confirms');
      assert.equal(stored.json().metadata.deletionGracePeriodSeconds, 30);
      const at = Date.parse(stored.json().metadata.deletionTimestamp) - Date.parse(stored.json().metadata.creationTimestamp);
      assert.ok(at >= 28_000 && at <= 35_000, `deletionTimestamp is about 30 s ahead (${at} ms)`);

      const forced = await api.delete(`${path}/bound?gracePeriodSeconds=0`);
      assert.equal(forced.status, 200, forced.body);
      assert.equal((await api.get(`${path}/bound`)).status, 404);
    });

    test('deletecollection with a labelSelector deletes only the matching objects', async () => {
      const ns = await namespace('dc');
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      for (const [name, app] of [['a1', 'a'], ['a2', 'a'], ['b1', 'b'], ['c1', undefined]] as const) await create(path, cm(name, app ? { app } : undefined));
      const res = await api.delete(`${path}?labelSelector=app%3Da`);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json().kind, 'ConfigMapList');
      assert.deepEqual((res.json().items as any[]).map((i) => i.metadata.name).sort(), ['a1', 'a2']);
      assert.deepEqual(await names(path), ['b1', 'c1']);
    });

    // ---- list ----

    test('label selectors: =, !=, in, notin, exists, !key', async () => {
      const ns = await namespace('labels');
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const objs: [string, Record<string, string> | undefined][] = [
        ['a', { app: 'web', tier: 'fe' }],
        ['b', { app: 'web', tier: 'be' }],
        ['c', { app: 'db' }],
        ['d', undefined],
        ['e', { app: 'cache', tier: 'fe' }],
      ];
      for (const [name, labels] of objs) await create(path, cm(name, labels));
      const q = (sel: string) => names(`${path}?labelSelector=${encodeURIComponent(sel)}`);
      assert.deepEqual(await q('app=web'), ['a', 'b']);
      assert.deepEqual(await q('app==web'), ['a', 'b']);
      assert.deepEqual(await q('app!=web'), ['c', 'd', 'e']);
      assert.deepEqual(await q('app in (web,db)'), ['a', 'b', 'c']);
      assert.deepEqual(await q('app notin (web,db)'), ['d', 'e']);
      assert.deepEqual(await q('tier'), ['a', 'b', 'e']);
      assert.deepEqual(await q('!tier'), ['c', 'd']);
      assert.deepEqual(await q('app=web,tier=fe'), ['a']);
      const bad = await api.get(`${path}?labelSelector=${encodeURIComponent('app in web')}`);
      assert.equal(bad.status, 400, bad.body);
      assert.equal(bad.json().reason, 'BadRequest');
    });

    test('field selectors: metadata.name, pods spec.nodeName and status.phase; unsupported labels are 400', async () => {
      const ns = await namespace('fields');
      await create(`/api/v1/namespaces/${ns}/configmaps`, cm('one'));
      await create(`/api/v1/namespaces/${ns}/configmaps`, cm('two'));
      const cms = `/api/v1/namespaces/${ns}/configmaps`;
      assert.deepEqual(await names(`${cms}?fieldSelector=metadata.name%3Done`), ['one']);
      assert.deepEqual(await names(`${cms}?fieldSelector=metadata.name!%3Done`), ['two']);
      assert.deepEqual(await names(`${cms}?fieldSelector=metadata.namespace%3D${ns}`), ['one', 'two']);
      const pods = `/api/v1/namespaces/${ns}/pods`;
      await create(pods, pod('on-node', { nodeName: 'node-1' }));
      await create(pods, pod('pending'));
      assert.deepEqual(await names(`${pods}?fieldSelector=spec.nodeName%3Dnode-1`), ['on-node']);
      assert.deepEqual(await names(`${pods}?fieldSelector=spec.nodeName%3D`), ['pending']);
      assert.deepEqual(await names(`${pods}?fieldSelector=status.phase!%3DRunning`), ['on-node', 'pending']);
      assert.deepEqual(await names(`${pods}?fieldSelector=status.phase!%3DPending`), []);
      assert.deepEqual(await names(`${pods}?fieldSelector=${encodeURIComponent('spec.nodeName=node-1,metadata.name=pending')}`), []);

      const badPods = await api.get(`${pods}?fieldSelector=foo%3Dbar`);
      assert.equal(badPods.status, 400, badPods.body);
      assert.equal(badPods.json().reason, 'BadRequest');
      assert.equal(badPods.json().message, 'field label not supported: foo');
      // Kinds without their own field label conversion use runtime.DefaultMetaV1FieldSelectorConversion.
      const badCms = await api.get(`${cms}?fieldSelector=foo%3Dbar`);
      assert.equal(badCms.status, 400, badCms.body);
      assert.equal(badCms.json().message, '"foo" is not a known field selector: only "metadata.name", "metadata.namespace"');
    });

    test('limit=2 paging: every item once, remainingItemCount, one snapshot; garbage continue is 400', async () => {
      const ns = await namespace('paging');
      const path = `/api/v1/namespaces/${ns}/configmaps`;
      const all = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
      for (const name of all) await create(path, cm(name));
      const seen: string[] = [];
      const remaining: (number | undefined)[] = [];
      let token: string | undefined;
      let firstRv: string | undefined;
      for (let page = 0; page < 10; page++) {
        const res = await api.get(`${path}?limit=2${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
        assert.equal(res.status, 200, res.body);
        const list = res.json();
        assert.equal(list.kind, 'ConfigMapList');
        assert.ok(list.items.length <= 2);
        seen.push(...(list.items as any[]).map((i) => i.metadata.name as string));
        remaining.push(list.metadata.remainingItemCount);
        firstRv ??= list.metadata.resourceVersion;
        assert.equal(list.metadata.resourceVersion, firstRv, 'every page is read at the first page\'s resourceVersion');
        if (page === 0) await create(path, cm('p1-late')); // after the snapshot: not in this list
        token = list.metadata.continue;
        if (!token) break;
      }
      assert.equal(token, undefined, 'the last page has no continue token');
      assert.deepEqual(seen, all);
      assert.deepEqual(remaining, [5, 3, 1, undefined]);

      const garbage = await api.get(`${path}?limit=2&continue=not-a-token`);
      assert.equal(garbage.status, 400, garbage.body);
      assert.equal(garbage.json().reason, 'BadRequest');
      assert.deepEqual(await names(`${path}?resourceVersion=0`), [...all.slice(0, 2), 'p1-late', ...all.slice(2)]);
    });

    test('resourceVersion=0 and the all-namespaces path /api/v1/configmaps list', async () => {
      const ns1 = await namespace('all-a');
      const ns2 = await namespace('all-b');
      await create(`/api/v1/namespaces/${ns1}/configmaps`, cm('x', { suite: `all-${s}` }));
      await create(`/api/v1/namespaces/${ns2}/configmaps`, cm('y', { suite: `all-${s}` }));
      const zero = await api.get(`/api/v1/namespaces/${ns1}/configmaps?resourceVersion=0`);
      assert.equal(zero.status, 200, zero.body);
      assert.deepEqual((zero.json().items as any[]).map((i) => i.metadata.name), ['x']);
      assert.match(zero.json().metadata.resourceVersion, /^[1-9]\d*$/);
      const res = await api.get(`/api/v1/configmaps?labelSelector=suite%3Dall-${s}`);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json().kind, 'ConfigMapList');
      assert.deepEqual((res.json().items as any[]).map((i) => `${i.metadata.namespace}/${i.metadata.name}`), [`${ns1}/x`, `${ns2}/y`]);
      const everything = await api.get('/api/v1/configmaps?resourceVersion=0');
      assert.equal(everything.status, 200);
      const namespaces = new Set((everything.json().items as any[]).map((i) => i.metadata.namespace));
      assert.ok(namespaces.has(ns1) && namespaces.has(ns2));
    });

    test('every response carried an Audit-Id header', () => {
      assertAuditIds(api);
    });
  });
}
