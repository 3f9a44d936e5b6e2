import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults } from '../defaults/apply-defaults.js';
import { fieldErrorMessage } from '../field-error.js';
import { validateObject } from './validate-object.js';

type Json = Record<string, unknown>;
const RBAC = 'rbac.authorization.k8s.io';

function messages(group: string, kind: string, obj: Json, old?: Json): string[] {
  applyDefaults(group, 'v1', kind, obj);
  if (old) applyDefaults(group, 'v1', kind, old);
  return validateObject(group, 'v1', kind, obj, old ? { old } : {}).map(fieldErrorMessage);
}

const READ_PODS = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] };

test('Roles: rules need verbs, groups and resources', () => {
  const role = (rules: unknown[]): Json => ({ metadata: { name: 'reader', namespace: 'default' }, rules });
  assert.deepEqual(messages(RBAC, 'Role', role([READ_PODS])), []);
  assert.deepEqual(messages(RBAC, 'Role', role([{ resources: ['pods'] }])), [
    'rules[0].verbs: Required value: verbs must contain at least one value',
    'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
  ]);
  assert.deepEqual(messages(RBAC, 'Role', role([{ verbs: ['get'], nonResourceURLs: ['/healthz'] }])), [
    'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
  ]);
  assert.deepEqual(messages(RBAC, 'Role', { metadata: { name: 'a/b', namespace: 'default' } }), [
    `metadata.name: Invalid value: "a/b": may not contain '/'`,
  ]);
});

test('ClusterRoles: non-resource URLs and aggregation selectors', () => {
  const role = (extra: Json): Json => ({ metadata: { name: 'viewer' }, ...extra });
  assert.deepEqual(messages(RBAC, 'ClusterRole', role({ rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] })), []);
  assert.deepEqual(messages(RBAC, 'ClusterRole', role({ aggregationRule: { clusterRoleSelectors: [] } })), [
    'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
  ]);
});

test('RoleBindings: role references and subjects', () => {
  const binding = (roleRef: Json, subjects: unknown[]): Json => ({ metadata: { name: 'b', namespace: 'default', resourceVersion: '1' }, roleRef, subjects });
  assert.deepEqual(messages(RBAC, 'RoleBinding', binding({ kind: 'Role', name: 'reader' }, [{ kind: 'User', name: 'alice' }])), []);
  assert.deepEqual(messages(RBAC, 'RoleBinding', binding({ kind: 'Pod', name: '' }, [{ kind: 'Robot', name: 'r2' }])), [
    'roleRef.kind: Unsupported value: "Pod": supported values: "Role", "ClusterRole"',
    'roleRef.name: Required value',
    'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
  ]);
  assert.deepEqual(
    messages(RBAC, 'RoleBinding', binding({ kind: 'Role', name: 'writer' }, []), binding({ kind: 'Role', name: 'reader' }, [])),
    ['roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"writer"}: cannot change roleRef'],
  );
  const cluster = { metadata: { name: 'b' }, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }] };
  assert.deepEqual(messages(RBAC, 'ClusterRoleBinding', cluster), [
    'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    'subjects[0].namespace: Required value',
  ]);
});

test('core Events: legacy rules only', () => {
  const event = (namespace: string, involved: string): Json => ({
    metadata: { name: 'web.17a', namespace },
    involvedObject: { kind: 'Pod', name: 'web', namespace: involved },
    reason: 'Started',
    message: 'started',
    type: 'Normal',
  });
  assert.deepEqual(messages('', 'Event', event('default', 'default')), []);
  assert.deepEqual(messages('', 'Event', event('default', 'other')), [
    'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
  ]);
});

test('events.k8s.io Events: strict rules', () => {
  const event: Json = {
    metadata: { name: 'web.17a', namespace: 'default' },
    eventTime: '2024-08-14T14:40:10.000000Z',
    reportingController: 'skiff.io/kubelet',
    reportingInstance: 'node-1',
    action: 'Started',
    reason: 'Started',
    regarding: { kind: 'Pod', name: 'web', namespace: 'default' },
    type: 'Normal',
  };
  assert.deepEqual(messages('events.k8s.io', 'Event', event), []);
  const broken = { ...event, type: 'Info', deprecatedCount: 3, action: '' };
  assert.deepEqual(messages('events.k8s.io', 'Event', broken), [
    'action: Required value',
    'type: Invalid value: "": has invalid value: Info',
    'count: Invalid value: "": needs to be unset',
  ]);
});
