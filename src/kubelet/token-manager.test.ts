import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { ResourceClient } from '../client/index.js';
import { ManualClock } from '../lib/index.js';
import { TokenManager } from './token-manager.js';

function fakeServiceAccounts(clock: ManualClock) {
  const requests: unknown[] = [];
  let failing = false;
  const client = {
    createSubresource: async (_ns: string, _name: string, _sub: string, body: { spec: { expirationSeconds: number } }) => {
      if (failing) throw new Error('API down');
      requests.push(body);
      const exp = new Date(clock.now() + body.spec.expirationSeconds * 1000).toISOString();
      return { status: { token: `t${requests.length}`, expirationTimestamp: exp } };
    },
  } as unknown as ResourceClient<ServiceAccount>;
  return { client, requests, fail: (v: boolean) => (failing = v) };
}

const spec = { namespace: 'ns', serviceAccount: 'default', audience: '', expirationSeconds: 3600, pod: { name: 'p', uid: 'u1' } };

test('a token is reused until 80 % of its lifetime has passed, then refreshed', async () => {
  const clock = new ManualClock(0);
  const sa = fakeServiceAccounts(clock);
  const tokens = new TokenManager({ serviceAccounts: sa.client, clock, random: () => 0 });
  assert.equal(await tokens.token(spec), 't1');
  assert.deepEqual((sa.requests[0] as { spec: unknown }).spec, { audiences: [], expirationSeconds: 3600, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u1' } });
  clock.advance(2_880_000);
  assert.equal(await tokens.token(spec), 't1');
  clock.advance(1);
  assert.equal(await tokens.token(spec), 't2');
});

test('a failed refresh hands out the cached token while it is valid; a Pod’s tokens go with it', async () => {
  const clock = new ManualClock(0);
  const sa = fakeServiceAccounts(clock);
  const tokens = new TokenManager({ serviceAccounts: sa.client, clock, random: () => 0 });
  await tokens.token(spec);
  clock.advance(3_000_000);
  sa.fail(true);
  assert.equal(await tokens.token(spec), 't1');
  clock.advance(700_000);
  await assert.rejects(tokens.token(spec), /API down/);
  sa.fail(false);
  assert.equal(await tokens.token(spec), 't2');
  tokens.forgetPod('u1');
  assert.equal(tokens.size, 0);
});

test('a long-lived token is still refreshed once it is a day old', async () => {
  const clock = new ManualClock(0);
  const sa = fakeServiceAccounts(clock);
  const tokens = new TokenManager({ serviceAccounts: sa.client, clock, random: () => 0 });
  const yearly = { ...spec, expirationSeconds: 365 * 24 * 3600 };
  await tokens.token(yearly);
  clock.advance(24 * 3600_000 + 1);
  assert.equal(await tokens.token(yearly), 't2');
});
