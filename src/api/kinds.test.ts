import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from './api-error.js';
import { allKinds, findKind, findKindByGVK, findSubresource, resourceStoragePrefix, storageKey, storagePrefix } from './kinds.js';

function kind(group: string, version: string, resource: string) {
  const info = findKind(group, version, resource);
  assert.ok(info, `${group}/${version}/${resource}`);
  return info;
}

describe('kinds table', () => {
  it('serves the expected resources', () => {
    assert.deepEqual(
      allKinds().map((k) => `${k.apiVersion} ${k.resource}`).sort(),
      [
        'apps/v1 deployments',
        'apps/v1 replicasets',
        'batch/v1 cronjobs',
        'batch/v1 jobs',
        'coordination.k8s.io/v1 leases',
        'events.k8s.io/v1 events',
        'rbac.authorization.k8s.io/v1 clusterrolebindings',
        'rbac.authorization.k8s.io/v1 clusterroles',
        'rbac.authorization.k8s.io/v1 rolebindings',
        'rbac.authorization.k8s.io/v1 roles',
        'scheduling.k8s.io/v1 priorityclasses',
        'v1 configmaps',
        'v1 endpoints',
        'v1 events',
        'v1 namespaces',
        'v1 nodes',
        'v1 pods',
        'v1 secrets',
        'v1 serviceaccounts',
        'v1 services',
      ],
    );
  });

  it('describes pods as discovery does', () => {
    const pods = kind('', 'v1', 'pods');
    assert.equal(pods.kind, 'Pod');
    assert.equal(pods.listKind, 'PodList');
    assert.equal(pods.singular, 'pod');
    assert.equal(pods.namespaced, true);
    assert.deepEqual(pods.shortNames, ['po']);
    assert.deepEqual(pods.categories, ['all']);
    assert.deepEqual(pods.verbs, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    assert.deepEqual(pods.subresources.map((s) => s.name), ['binding', 'ephemeralcontainers', 'eviction', 'log', 'status']);
    assert.deepEqual(findSubresource(pods, 'eviction'), { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] });
  });

  it('has upstream short names, categories and verbs', () => {
    const expected: [string, string, string[], string[]][] = [
      ['', 'configmaps', ['cm'], []],
      ['', 'endpoints', ['ep'], []],
      ['', 'events', ['ev'], []],
      ['', 'namespaces', ['ns'], []],
      ['', 'nodes', ['no'], []],
      ['', 'secrets', [], []],
      ['', 'serviceaccounts', ['sa'], []],
      ['', 'services', ['svc'], ['all']],
      ['apps', 'deployments', ['deploy'], ['all']],
      ['apps', 'replicasets', ['rs'], ['all']],
      ['batch', 'jobs', [], ['all']],
      ['batch', 'cronjobs', ['cj'], ['all']],
      ['coordination.k8s.io', 'leases', [], []],
      ['events.k8s.io', 'events', ['ev'], []],
      ['rbac.authorization.k8s.io', 'roles', [], []],
    ];
    for (const [group, resource, shortNames, categories] of expected) {
      const info = kind(group, 'v1', resource);
      assert.deepEqual([info.shortNames, info.categories], [shortNames, categories], resource);
    }
    assert.ok(!kind('', 'v1', 'namespaces').verbs.includes('deletecollection'));
    assert.deepEqual(kind('', 'v1', 'namespaces').subresources.map((s) => `${s.name}:${s.verbs.join(',')}`), ['finalize:update', 'status:get,patch,update']);
    assert.deepEqual(kind('apps', 'v1', 'deployments').subresources.map((s) => `${s.name}:${s.group ?? ''}/${s.kind}`), ['scale:autoscaling/Scale', 'status:/Deployment']);
    assert.deepEqual(kind('', 'v1', 'serviceaccounts').subresources.map((s) => s.name), ['token']);
    assert.equal(kind('', 'v1', 'nodes').namespaced, false);
    assert.equal(kind('rbac.authorization.k8s.io', 'v1', 'clusterroles').namespaced, false);
  });

  it('finds kinds by group, version and kind', () => {
    assert.equal(findKindByGVK('apps', 'v1', 'Deployment')?.resource, 'deployments');
    assert.equal(findKindByGVK('events.k8s.io', 'v1', 'Event')?.group, 'events.k8s.io');
    assert.equal(findKindByGVK('', 'v1', 'Event')?.group, '');
    assert.equal(findKindByGVK('apps', 'v1beta1', 'Deployment'), undefined);
    assert.equal(findKind('', 'v1', 'po'), undefined);
  });
});

describe('storage keys', () => {
  it('follow the upstream etcd layout', () => {
    assert.equal(storageKey(kind('', 'v1', 'pods'), 'default', 'x'), '/registry/pods/default/x');
    assert.equal(storageKey(kind('', 'v1', 'nodes'), undefined, 'n1'), '/registry/minions/n1');
    assert.equal(storageKey(kind('', 'v1', 'services'), 'default', 'web'), '/registry/services/specs/default/web');
    assert.equal(storageKey(kind('', 'v1', 'endpoints'), 'default', 'web'), '/registry/services/endpoints/default/web');
    assert.equal(storageKey(kind('apps', 'v1', 'deployments'), 'ns', 'd'), '/registry/deployments/ns/d');
    assert.equal(storageKey(kind('rbac.authorization.k8s.io', 'v1', 'clusterroles'), undefined, 'system:admin'), '/registry/clusterroles/system:admin');
    assert.equal(kind('events.k8s.io', 'v1', 'events').storagePrefix, kind('', 'v1', 'events').storagePrefix);
    assert.equal(resourceStoragePrefix('', 'replicationcontrollers'), '/registry/controllers');
    assert.equal(resourceStoragePrefix('networking.k8s.io', 'ingresses'), '/registry/ingress');
  });

  it('give prefixes with a trailing slash', () => {
    assert.equal(storagePrefix(kind('', 'v1', 'pods')), '/registry/pods/');
    assert.equal(storagePrefix(kind('', 'v1', 'pods'), 'default'), '/registry/pods/default/');
    assert.equal(storagePrefix(kind('', 'v1', 'nodes'), 'ignored'), '/registry/minions/');
  });

  it('refuse keys upstream refuses', () => {
    const pods = kind('', 'v1', 'pods');
    assert.throws(() => storageKey(pods, '', 'x'), (err: unknown) => err instanceof ApiError && err.code === 400 && err.message === 'Namespace parameter required.');
    assert.throws(() => storageKey(pods, 'd', ''), { message: 'Name parameter required.' });
    assert.throws(() => storageKey(pods, 'd', 'a/b'), { message: 'Name parameter invalid: "a/b": may not contain \'/\'' });
    assert.throws(() => storageKey(pods, 'd', '..'), { message: 'Name parameter invalid: "..": may not be \'..\'' });
  });
});
