import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';
import type { Attributes } from './authorizer.js';
import { ruleAllows, subjectAppliesTo } from './rbac-rules.js';

const user = { username: 'alice', groups: ['devs', 'system:authenticated'] };
const res = (verb: string, resource: string, extra: Partial<Attributes> = {}): Attributes => ({ user, verb, resourceRequest: true, apiGroup: '', resource, ...extra });

test("upstream's rule matching: verbs, groups, resources and subresources, resourceNames, non-resource URLs", () => {
  const cases: [PolicyRule, Attributes, boolean][] = [
    [{ verbs: ['*'], apiGroups: [''], resources: ['pods'] }, res('delete', 'pods'), true],
    [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('list', 'pods'), false],
    [{ verbs: ['get'], apiGroups: ['apps'], resources: ['pods'] }, res('get', 'pods'), false],
    [{ verbs: ['get'], apiGroups: ['*'], resources: ['*'] }, res('get', 'deployments', { apiGroup: 'apps' }), true],
    [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('get', 'pods', { subresource: 'log' }), false],
    [{ verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, res('get', 'pods', { subresource: 'log' }), true],
    [{ verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, res('get', 'pods'), false],
    [{ verbs: ['update'], apiGroups: ['apps'], resources: ['*/scale'] }, res('update', 'deployments', { apiGroup: 'apps', subresource: 'scale' }), true],
    [{ verbs: ['update'], apiGroups: ['apps'], resources: ['*/scale'] }, res('update', 'deployments', { apiGroup: 'apps' }), false],
    [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('get', 'configmaps', { name: 'a' }), true],
    [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('get', 'configmaps', { name: 'b' }), false],
    [{ verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('list', 'configmaps'), false],
    [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }, { user, verb: 'get', resourceRequest: false, path: '/healthz' }, true],
    [{ verbs: ['get'], nonResourceURLs: ['/apis/*'] }, { user, verb: 'get', resourceRequest: false, path: '/apis/apps/v1' }, true],
    [{ verbs: ['get'], nonResourceURLs: ['/apis'] }, { user, verb: 'get', resourceRequest: false, path: '/apis/apps' }, false],
    [{ verbs: ['get'], nonResourceURLs: ['*'] }, { user, verb: 'get', resourceRequest: false, path: '/metrics' }, true],
    [{ verbs: ['get'], apiGroups: ['*'], resources: ['*'] }, { user, verb: 'get', resourceRequest: false, path: '/metrics' }, false],
  ];
  for (const [rule, attrs, allowed] of cases) assert.equal(ruleAllows(attrs, rule), allowed, `${JSON.stringify(rule)} ${JSON.stringify({ ...attrs, user: undefined })}`);
});

test('subjects: User by name, Group by membership, ServiceAccount by its username (namespace defaults to the binding)', () => {
  assert.equal(subjectAppliesTo({ kind: 'User', name: 'alice' }, user, ''), true);
  assert.equal(subjectAppliesTo({ kind: 'Group', name: 'devs' }, user, ''), true);
  assert.equal(subjectAppliesTo({ kind: 'Group', name: 'ops' }, user, ''), false);
  const sa = { username: 'system:serviceaccount:team:robot', groups: [] };
  assert.equal(subjectAppliesTo({ kind: 'ServiceAccount', name: 'robot' }, sa, 'team'), true);
  assert.equal(subjectAppliesTo({ kind: 'ServiceAccount', name: 'robot' }, sa, ''), false);
  assert.equal(subjectAppliesTo({ kind: 'ServiceAccount', name: 'robot', namespace: 'team' }, sa, 'other'), true);
});
