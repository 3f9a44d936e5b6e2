import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditPolicyChecker, type AuditAttributes, type AuditPolicyUser } from './audit-policy-checker.js';
import { parseAuditPolicy } from './audit-policy.js';

const checker = (rules: string, top = ''): AuditPolicyChecker =>
  new AuditPolicyChecker(parseAuditPolicy(`apiVersion: audit.k8s.io/v1\nkind: Policy\n${top}rules:\n${rules}`));

const alice: AuditPolicyUser = { username: 'alice', groups: ['dev', 'system:authenticated'] };

function resource(over: Partial<AuditAttributes> = {}): AuditAttributes {
  return { verb: 'get', isResourceRequest: true, path: '/api/v1/namespaces/default/pods/web', namespace: 'default', apiGroup: '', resource: 'pods', subresource: '', name: 'web', ...over };
}

const nonResource = (path: string): AuditAttributes => ({ verb: 'get', isResourceRequest: false, path, namespace: '', apiGroup: '', resource: '', subresource: '', name: '' });

const level = (c: AuditPolicyChecker, attrs: AuditAttributes, user: AuditPolicyUser = alice): string => c.configFor(user, attrs).level;

test('the first matching rule decides; no match is None', () => {
  const c = checker(`
- level: None
  users: [alice]
  verbs: [get]
- level: RequestResponse
  verbs: [get, create]
- level: Metadata
  namespaces: [kube-system]
`);
  assert.equal(level(c, resource()), 'None');
  assert.equal(level(c, resource(), { username: 'bob', groups: [] }), 'RequestResponse');
  assert.equal(level(c, resource({ verb: 'create' })), 'RequestResponse');
  assert.equal(level(c, resource({ verb: 'delete', namespace: 'kube-system' })), 'Metadata');
  assert.equal(level(c, resource({ verb: 'delete' })), 'None');
});

test('users and userGroups need a user; a refused request matches only rules without them', () => {
  const c = checker(`
- level: Request
  userGroups: [dev]
- level: Metadata
  users: [system:anonymous]
- level: RequestResponse
`);
  assert.equal(level(c, resource()), 'Request');
  assert.equal(level(c, resource(), { username: 'system:anonymous', groups: ['system:unauthenticated'] }), 'Metadata');
  assert.equal(c.configFor(undefined, resource()).level, 'RequestResponse');
});

test('resources: exact, group, *, resource/subresource, */subresource, resource/* and resourceNames', () => {
  const c = checker(`
- level: RequestResponse
  resources: [{group: "", resources: ["pods/status"]}]
- level: Request
  resources: [{group: apps, resources: ["*/scale"]}]
- level: Metadata
  resources: [{group: "", resources: ["configmaps/*"]}]
- level: RequestResponse
  resources: [{group: "", resources: [secrets], resourceNames: [tls]}]
- level: Request
  resources: [{group: batch}]
- level: Metadata
  resources: [{group: "rbac.authorization.k8s.io", resources: ["*"]}]
`);
  assert.equal(level(c, resource({ subresource: 'status' })), 'RequestResponse');
  assert.equal(level(c, resource()), 'None', 'pods/status does not match pods');
  assert.equal(level(c, resource({ apiGroup: 'apps', resource: 'deployments', subresource: 'scale' })), 'Request');
  assert.equal(level(c, resource({ apiGroup: 'apps', resource: 'deployments' })), 'None');
  assert.equal(level(c, resource({ resource: 'configmaps' })), 'Metadata', 'resource/* matches the resource itself');
  assert.equal(level(c, resource({ resource: 'configmaps', subresource: 'x' })), 'Metadata');
  assert.equal(level(c, resource({ resource: 'secrets', name: 'tls' })), 'RequestResponse');
  assert.equal(level(c, resource({ resource: 'secrets', name: 'other' })), 'None');
  assert.equal(level(c, resource({ apiGroup: 'batch', resource: 'jobs', subresource: 'status' })), 'Request');
  assert.equal(level(c, resource({ apiGroup: 'rbac.authorization.k8s.io', resource: 'roles', subresource: 'x' })), 'Metadata');
  assert.equal(level(c, nonResource('/api')), 'None', 'resource rules never match non-resource requests');
});

test('namespaces: "" selects cluster-scoped requests', () => {
  const c = checker(`
- level: Request
  namespaces: [""]
- level: Metadata
  namespaces: [prod]
  resources: [{group: ""}]
`);
  assert.equal(level(c, resource({ namespace: '', resource: 'nodes' })), 'Request');
  assert.equal(level(c, resource({ namespace: 'prod' })), 'Metadata');
  assert.equal(level(c, resource({ namespace: 'prod', apiGroup: 'apps' })), 'None');
  assert.equal(level(c, resource()), 'None');
});

test('nonResourceURLs: exact, trailing * and *; never resource requests', () => {
  const c = checker(`
- level: None
  nonResourceURLs: [/healthz*, /version]
- level: Request
  nonResourceURLs: ["/apis/*"]
- level: Metadata
  nonResourceURLs: ["*"]
`);
  assert.equal(level(c, nonResource('/healthz')), 'None');
  assert.equal(level(c, nonResource('/healthz/etcd')), 'None');
  assert.equal(level(c, nonResource('/version')), 'None');
  assert.equal(level(c, nonResource('/version/x')), 'Metadata');
  assert.equal(level(c, nonResource('/apis/apps')), 'Request');
  assert.equal(level(c, nonResource('/apis')), 'Metadata');
  assert.equal(level(c, resource()), 'None');
});

test('omitStages: the policy and the rule together; omitManagedFields: the rule over the policy', () => {
  const c = checker(
    `
- level: Metadata
  verbs: [get]
  omitStages: [ResponseComplete]
- level: Request
  verbs: [create]
  omitManagedFields: false
- level: Request
`,
    'omitStages: [RequestReceived]\nomitManagedFields: true\n',
  );
  const get = c.configFor(alice, resource());
  assert.deepEqual([...get.omitStages].sort(), ['RequestReceived', 'ResponseComplete']);
  assert.equal(get.omitManagedFields, true);
  assert.equal(c.configFor(alice, resource({ verb: 'create' })).omitManagedFields, false);
  const none = checker('- level: Metadata\n  verbs: [get]\n', 'omitStages: [Panic]\n').configFor(alice, resource({ verb: 'list' }));
  assert.equal(none.level, 'None');
  assert.deepEqual([...none.omitStages], ['Panic']);
  assert.equal(c.configFor(alice, resource()), get, 'a config is built once per rule');
});
