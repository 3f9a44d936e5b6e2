import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { groupKindString, groupResourceString } from './group-resource.js';

describe('group-qualified names', () => {
  it('leave the core group out', () => {
    assert.equal(groupResourceString({ group: '', resource: 'pods' }), 'pods');
    assert.equal(groupResourceString({ group: 'apps', resource: 'deployments' }), 'deployments.apps');
    assert.equal(groupKindString({ group: '', kind: 'Pod' }), 'Pod');
    assert.equal(groupKindString({ group: 'rbac.authorization.k8s.io', kind: 'Role' }), 'Role.rbac.authorization.k8s.io');
  });
});
