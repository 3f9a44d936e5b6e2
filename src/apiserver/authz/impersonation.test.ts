import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/index.js';
import type { Authorizer } from './authorizer.js';
import { impersonate, impersonationHeaders } from './impersonation.js';

const admin = { username: 'admin', groups: ['system:masters'] };
const allowAll: Authorizer = { authorize: async () => ({ decision: 'Allow', reason: '' }) };
const onlyUsers: Authorizer = { authorize: async (a) => ({ decision: a.resource === 'users' ? 'Allow' : 'NoOpinion', reason: '' }) };

test('impersonation: the user, groups and extras asked for, each allowed by the impersonate verb', async () => {
  const h = impersonationHeaders(['Impersonate-User', 'alice', 'Impersonate-Group', 'devs', 'impersonate-group', 'ops', 'Accept', 'x', 'Impersonate-Extra-Scopes', 'view']);
  assert.deepEqual(await impersonate(admin, h, allowAll), { username: 'alice', groups: ['devs', 'ops', 'system:authenticated'], extra: { scopes: ['view'] } });
  assert.deepEqual(await impersonate(admin, impersonationHeaders(['Impersonate-User', 'system:serviceaccount:ns:robot']), allowAll), {
    username: 'system:serviceaccount:ns:robot',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'],
  });
  assert.equal(await impersonate(admin, new Map(), allowAll), admin);
  await assert.rejects(impersonate(admin, impersonationHeaders(['Impersonate-Group', 'devs']), allowAll), (e: unknown) => e instanceof ApiError && e.status.code === 400);
  await assert.rejects(
    impersonate({ username: 'bob', groups: [] }, impersonationHeaders(['Impersonate-User', 'alice', 'Impersonate-Group', 'system:masters']), onlyUsers),
    (e: unknown) => e instanceof ApiError && e.status.message === 'groups "system:masters" is forbidden: User "bob" cannot impersonate resource "groups" in API group "" at the cluster scope',
  );
});
