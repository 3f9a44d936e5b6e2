import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LeasePool } from './lease-pool.js';

function pool() {
  let now = 1_000_000;
  const granted: number[] = [];
  const leases = new LeasePool(
    async (ttl) => {
      granted.push(ttl);
      return String(granted.length);
    },
    { now: () => now, maxKeysPerLease: 3 },
  );
  return { leases, granted, advance: (ms: number) => (now += ms) };
}

test('writes of one TTL share a lease granted with the reuse margin, until the window passes', async () => {
  const { leases, granted, advance } = pool();
  assert.equal(await leases.leaseFor(3600), '1');
  advance(59_000);
  assert.equal(await leases.leaseFor(3600), '1');
  advance(2_000);
  assert.equal(await leases.leaseFor(3600), '2');
  assert.deepEqual(granted, [3660, 3660]);
});

test('short TTLs get a lease per write; other TTLs get their own lease', async () => {
  const { leases, granted } = pool();
  assert.notEqual(await leases.leaseFor(5), await leases.leaseFor(5));
  const hour = await leases.leaseFor(3600);
  const day = await leases.leaseFor(86_400);
  assert.notEqual(hour, day);
  assert.equal(await leases.leaseFor(3600), hour);
  assert.deepEqual(granted, [5, 5, 3660, 86_460]);
});

test('concurrent writes wait for one grant; a full or forgotten lease is replaced', async () => {
  const { leases, granted } = pool();
  const ids = await Promise.all([leases.leaseFor(600), leases.leaseFor(600), leases.leaseFor(600)]);
  assert.deepEqual(ids, ['1', '1', '1']);
  assert.equal(await leases.leaseFor(600), '2');
  leases.forget('2');
  assert.equal(await leases.leaseFor(600), '3');
  assert.equal(granted.length, 3);
});
