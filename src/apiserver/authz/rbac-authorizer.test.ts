import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import { RbacAuthorizer, type RbacLister } from './rbac-authorizer.js';
import { NodeAuthorizer } from './node-authorizer.js';
import { NodeGraph } from './node-graph.js';
import { NODE_RULES } from './bootstrap-policy.js';
import type { Attributes } from './authorizer.js';

const RBAC = 'rbac.authorization.k8s.io';

function lister(objs: { clusterRoles?: ClusterRole[]; roles?: Role[]; crbs?: ClusterRoleBinding[]; rbs?: RoleBinding[] }): RbacLister {
  return {
    clusterRole: (name) => objs.clusterRoles?.find((r) => r.metadata?.name === name),
    role: (ns, name) => objs.roles?.find((r) => r.metadata?.namespace === ns && r.metadata?.name === name),
    clusterRoleBindings: () => objs.crbs ?? [],
    roleBindings: (ns) => (objs.rbs ?? []).filter((b) => b.metadata?.namespace === ns),
  };
}

const alice = { username: 'alice', groups: ['devs', 'system:authenticated'] };
const list = (namespace: string, resource = 'pods'): Attributes => ({ user: alice, verb: 'list', resourceRequest: true, apiGroup: '', resource, namespace });

test('RoleBindings grant in their namespace, ClusterRoleBindings everywhere; a binding to a missing role is the reason', async () => {
  const rbac = new RbacAuthorizer(
    lister({
      clusterRoles: [{ metadata: { name: 'view' }, rules: [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }] }],
      roles: [{ metadata: { name: 'cm', namespace: 'b' }, rules: [{ verbs: ['list'], apiGroups: [''], resources: ['configmaps'] }] }],
      rbs: [
        { metadata: { name: 'x', namespace: 'a' }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: 'devs' }] },
        { metadata: { name: 'y', namespace: 'b' }, roleRef: { apiGroup: RBAC, kind: 'Role', name: 'cm' }, subjects: [{ kind: 'User', name: 'alice' }] },
        { metadata: { name: 'z', namespace: 'c' }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'gone' }, subjects: [{ kind: 'User', name: 'alice' }] },
      ],
    }),
  );
  assert.equal((await rbac.authorize(list('a'))).decision, 'Allow');
  assert.equal((await rbac.authorize(list('b'))).decision, 'NoOpinion');
  assert.equal((await rbac.authorize(list('b', 'configmaps'))).decision, 'Allow');
  assert.equal((await rbac.authorize(list(''))).decision, 'NoOpinion', 'a RoleBinding grants nothing cluster-wide');
  assert.deepEqual(await rbac.authorize(list('c')), { decision: 'NoOpinion', reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found' });
  assert.equal(rbac.rulesFor(alice, 'b').rules.length, 1);
});

test("the Node authorizer: a node's own Lease and Node, Pods only by its nodeName selector, Secrets only through its Pods", async () => {
  const graph = new NodeGraph();
  const node = new NodeAuthorizer(graph, NODE_RULES);
  const n1 = { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
  const attrs = (verb: string, resource: string, extra: Partial<Attributes> = {}): Attributes => ({ user: n1, verb, resourceRequest: true, apiGroup: '', resource, ...extra });
  const decide = async (a: Attributes) => (await node.authorize(a)).decision;
  assert.equal(await decide(attrs('update', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'n1' })), 'Allow');
  assert.equal(await decide(attrs('update', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'n2' })), 'NoOpinion');
  assert.equal(await decide(attrs('get', 'nodes', { name: 'n1' })), 'Allow');
  assert.equal(await decide(attrs('get', 'nodes', { name: 'n2' })), 'NoOpinion');
  assert.equal(await decide(attrs('delete', 'nodes', { name: 'n1' })), 'NoOpinion');
  assert.equal(await decide(attrs('watch', 'pods', { fieldSelector: 'spec.nodeName=n1' })), 'Allow');
  assert.equal(await decide(attrs('watch', 'pods', { fieldSelector: 'spec.nodeName=n2' })), 'NoOpinion');
  assert.equal(await decide(attrs('get', 'secrets', { namespace: 'ns', name: 's' })), 'NoOpinion');
  graph.setPod({ metadata: { name: 'p', namespace: 'ns' }, spec: { nodeName: 'n1', containers: [], volumes: [{ name: 'v', secret: { secretName: 's' } }] } });
  assert.equal(await decide(attrs('get', 'secrets', { namespace: 'ns', name: 's' })), 'Allow');
  assert.equal(await decide(attrs('list', 'secrets', { namespace: 'ns' })), 'NoOpinion');
  assert.equal(await decide(attrs('get', 'services', { namespace: 'ns', name: 'x' })), 'Allow', 'the static node rules');
  assert.equal(await decide({ ...attrs('get', 'secrets', { namespace: 'ns', name: 's' }), user: { username: 'system:node:n1', groups: [] } }), 'NoOpinion', 'not in system:nodes');
});
