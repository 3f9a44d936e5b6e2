import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Namespace } from 'kubernetes-types/core/v1.js';
import { RestClient, type DiscoveredResource, type KubeObject, type Transport, type TransportRequest, type TransportResponse } from '../../client/index.js';
import { ManualClock } from '../../lib/index.js';
import { NamespacedResourcesDeleter } from './namespaced-resources-deleter.js';

const DELETED_AT = '2025-01-01T00:00:00Z';

/** An API with one namespace being deleted and a few collections in it; records every write. */
class FakeApi implements Transport {
  readonly writes: string[] = [];
  ns: Namespace = { metadata: { name: 'team-a', uid: 'u1', deletionTimestamp: DELETED_AT }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
  /** Items per resource path; `held` items survive a delete. */
  readonly items = new Map<string, KubeObject[]>();
  readonly noDeleteCollection = new Set<string>();

  async request(req: TransportRequest): Promise<TransportResponse> {
    const url = new URL(req.url, 'https://x');
    const path = url.pathname;
    const body = typeof req.body === 'string' ? (JSON.parse(req.body) as Namespace) : undefined;
    const ok = (b: unknown) => ({ status: 200, headers: {}, body: Buffer.from(JSON.stringify(b)) });
    if (req.method !== 'GET') this.writes.push(`${req.method} ${path}`);
    if (path === '/api/v1/namespaces/team-a') return ok(this.ns);
    if (path === '/api/v1/namespaces/team-a/status' || path === '/api/v1/namespaces/team-a/finalize') {
      this.ns = { ...this.ns, ...(path.endsWith('status') ? { status: body!.status } : { spec: body!.spec }) };
      return ok(this.ns);
    }
    const list = this.items.get(path);
    if (!list) return { status: 404, headers: {}, body: Buffer.from('{}') };
    if (req.method === 'GET') return ok({ items: list });
    if (req.method === 'DELETE' && this.noDeleteCollection.has(path)) {
      return { status: 405, headers: {}, body: Buffer.from(JSON.stringify({ kind: 'Status', code: 405, reason: 'MethodNotAllowed', message: 'no' })) };
    }
    if (req.method === 'DELETE') {
      this.items.set(path, list.filter((i) => (i.metadata?.finalizers ?? []).length > 0));
      return ok({ items: [] });
    }
    throw new Error(`unexpected ${req.method} ${path}`);
  }

  stream(): never {
    throw new Error('no watches');
  }

  close(): void {}
}

const resource = (group: string, resourceName: string, verbs = ['list', 'delete', 'deletecollection']): DiscoveredResource => ({
  group,
  version: 'v1',
  resource: resourceName,
  kind: resourceName,
  namespaced: true,
  verbs,
});

function setup(resources: DiscoveredResource[]) {
  const api = new FakeApi();
  const clock = new ManualClock(Date.parse(DELETED_AT) + 60_000);
  const deleter = new NamespacedResourcesDeleter({ client: new RestClient(api), clock, discover: async () => resources });
  return { api, deleter };
}

test('an emptied namespace is set Terminating, gets all-clear conditions and is finalized', async () => {
  const { api, deleter } = setup([resource('', 'configmaps'), resource('', 'bindings', ['create']), resource('apps', 'replicasets')]);
  api.items.set('/api/v1/namespaces/team-a/configmaps', [{ metadata: { name: 'a' } }]);
  api.items.set('/apis/apps/v1/namespaces/team-a/replicasets', [{ metadata: { name: 'rs' } }]);
  assert.equal(await deleter.delete('team-a'), 0);
  assert.equal(api.ns.status?.phase, 'Terminating');
  assert.deepEqual(api.ns.status?.conditions?.map((c) => c.status), ['False', 'False', 'False', 'False', 'False']);
  assert.deepEqual(api.ns.spec?.finalizers, []);
  assert.ok(!api.writes.some((w) => w.includes('bindings')), 'resources without delete are left alone');
  assert.equal(api.writes.at(-1), 'PUT /api/v1/namespaces/team-a/finalize');
});

test('items held by finalizers are counted in the conditions and give an estimate instead of finalizing', async () => {
  const { api, deleter } = setup([resource('', 'configmaps')]);
  api.items.set('/api/v1/namespaces/team-a/configmaps', [{ metadata: { name: 'keep', finalizers: ['example.com/hold'] } }, { metadata: { name: 'plain' } }]);
  assert.equal(await deleter.delete('team-a'), 15);
  const byType = new Map(api.ns.status?.conditions?.map((c) => [c.type, c]));
  assert.equal(byType.get('NamespaceContentRemaining')?.message, 'Some resources are remaining: configmaps. has 1 resource instances');
  assert.equal(byType.get('NamespaceFinalizersRemaining')?.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
  assert.deepEqual(api.ns.spec?.finalizers, ['kubernetes']);
});

test('without deletecollection items are deleted one by one; items that stay without a finalizer are a failure', async () => {
  const { api, deleter } = setup([resource('', 'secrets', ['list', 'delete']), resource('apps', 'deployments')]);
  api.items.set('/api/v1/namespaces/team-a/secrets', [{ metadata: { name: 's1' } }, { metadata: { name: 's2' } }]);
  api.items.set('/apis/apps/v1/namespaces/team-a/deployments', [{ metadata: { name: 'd' } }]);
  api.noDeleteCollection.add('/apis/apps/v1/namespaces/team-a/deployments');
  await assert.rejects(deleter.delete('team-a'), /unexpected items still remain in namespace: team-a for gvr: \/v1, Resource=secrets/);
  assert.ok(api.writes.includes('DELETE /api/v1/namespaces/team-a/secrets/s1'));
  assert.ok(api.writes.includes('DELETE /apis/apps/v1/namespaces/team-a/deployments/d'), 'a 405 on deletecollection falls back to deleting each item');
  const failure = api.ns.status?.conditions?.find((c) => c.type === 'NamespaceDeletionContentFailure');
  assert.equal(failure?.status, 'True');
  assert.match(failure?.message ?? '', /^Failed to delete all resource types, 2 remaining: unexpected items still remain/);
  assert.deepEqual(api.ns.spec?.finalizers, ['kubernetes'], 'not finalized');
});

test('a namespace that is not being deleted, or already finalized, is left alone', async () => {
  const { api, deleter } = setup([resource('', 'configmaps')]);
  api.ns = { ...api.ns, metadata: { name: 'team-a', uid: 'u1' } };
  assert.equal(await deleter.delete('team-a'), 0);
  api.ns = { ...api.ns, metadata: { name: 'team-a', uid: 'u1', deletionTimestamp: DELETED_AT }, spec: { finalizers: [] }, status: { phase: 'Terminating' } };
  assert.equal(await deleter.delete('team-a'), 0);
  assert.deepEqual(api.writes, []);
});
