import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { ApiError } from '../api/index.js';
import { ManualClock } from '../lib/index.js';
import { LeaderElector, formatMicroTime, type LeaseClient, type LeaderElectorOptions } from './leader-election.js';

const LEASES = { group: 'coordination.k8s.io', resource: 'leases' };

/** An in-memory Lease store with resourceVersion conflicts, like the API server's. */
class FakeLeaseClient implements LeaseClient {
  private readonly leases = new Map<string, Lease>();
  private rv = 0;
  failUpdates = false;
  hang = false;
  updates = 0;

  stored(name = 'lock'): Lease | undefined {
    return this.leases.get(`default/${name}`);
  }

  async get(namespace: string, name: string): Promise<Lease | undefined> {
    await this.maybeHang();
    const lease = this.leases.get(`${namespace}/${name}`);
    return lease && structuredClone(lease);
  }

  async create(lease: Lease): Promise<Lease> {
    await this.maybeHang();
    const key = `${lease.metadata?.namespace}/${lease.metadata?.name}`;
    if (this.leases.has(key)) throw ApiError.alreadyExists(LEASES, lease.metadata?.name ?? '');
    const stored = structuredClone(lease);
    stored.metadata = { ...stored.metadata, resourceVersion: String(++this.rv) };
    this.leases.set(key, stored);
    return structuredClone(stored);
  }

  async update(lease: Lease): Promise<Lease> {
    await this.maybeHang();
    this.updates++;
    const name = lease.metadata?.name ?? '';
    if (this.failUpdates) throw ApiError.internal('etcd is down');
    const key = `${lease.metadata?.namespace}/${name}`;
    const current = this.leases.get(key);
    if (!current) throw ApiError.notFound(LEASES, name);
    if (current.metadata?.resourceVersion !== lease.metadata?.resourceVersion) {
      throw ApiError.conflict(LEASES, name, 'the object has been modified');
    }
    const stored = structuredClone(lease);
    stored.metadata = { ...stored.metadata, resourceVersion: String(++this.rv) };
    this.leases.set(key, stored);
    return structuredClone(stored);
  }

  private maybeHang(): Promise<void> {
    return this.hang ? new Promise(() => {}) : Promise.resolve();
  }
}

/** Lets every promise chain that is not waiting on the clock run to completion. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface Candidate {
  elector: LeaderElector;
  controller: AbortController;
  done: Promise<void>;
  events: string[];
  leadingSignal: () => AbortSignal | undefined;
}

function candidate(
  client: LeaseClient,
  clock: ManualClock,
  identity: string,
  extra: Partial<LeaderElectorOptions> = {},
): Candidate {
  const events: string[] = [];
  let leading: AbortSignal | undefined;
  const elector = new LeaderElector({
    client,
    clock,
    namespace: 'default',
    name: 'lock',
    identity,
    random: () => 0,
    onStartedLeading: (signal) => {
      leading = signal;
      events.push('started');
      signal.addEventListener('abort', () => events.push('leading-aborted'));
    },
    onStoppedLeading: () => events.push('stopped'),
    onNewLeader: (id) => events.push(`leader:${id}`),
    ...extra,
  });
  const controller = new AbortController();
  const done = elector.run(controller.signal);
  return { elector, controller, done, events, leadingSignal: () => leading };
}

/** Advances the clock in `stepMs` steps, letting the electors react after each. */
async function advance(clock: ManualClock, ms: number, stepMs = 100): Promise<void> {
  await settle();
  for (let t = 0; t < ms; t += stepMs) {
    clock.advance(Math.min(stepMs, ms - t));
    await settle();
  }
}

test('MicroTime is formatted with six fractional digits', () => {
  assert.equal(formatMicroTime(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), '2024-01-02T03:04:05.678000Z');
});

test('options are validated as upstream does', () => {
  const base = { client: new FakeLeaseClient(), namespace: 'd', name: 'l', identity: 'a', onStartedLeading: () => {}, onStoppedLeading: () => {} };
  assert.throws(() => new LeaderElector({ ...base, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }), /leaseDuration must be greater than renewDeadline/);
  assert.throws(() => new LeaderElector({ ...base, renewDeadlineMs: 2_400, retryPeriodMs: 2_000 }), /retryPeriod\*JitterFactor/);
  assert.throws(() => new LeaderElector({ ...base, identity: '' }), /identity is empty/);
});

test('a single candidate creates the Lease and leads; a second one waits', async () => {
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  const client = new FakeLeaseClient();
  const a = candidate(client, clock, 'a');
  await settle();
  assert.deepEqual(a.events, ['leader:a', 'started']);
  assert.equal(a.elector.isLeader(), true);
  const spec = client.stored()?.spec;
  assert.deepEqual(spec, {
    holderIdentity: 'a',
    leaseDurationSeconds: 15,
    acquireTime: '2024-01-01T00:00:00.000000Z',
    renewTime: '2024-01-01T00:00:00.000000Z',
    leaseTransitions: 0,
  });

  const b = candidate(client, clock, 'b');
  await settle();
  assert.deepEqual(b.events, ['leader:a']);
  await advance(clock, 60_000);
  assert.deepEqual(b.events, ['leader:a'], 'a renews, so b never takes over');
  assert.equal(b.elector.getLeader(), 'a');
  const renewed = client.stored()?.spec;
  assert.equal(renewed?.renewTime, formatMicroTime(clock.now()));
  assert.equal(renewed?.acquireTime, '2024-01-01T00:00:00.000000Z', 'renewal keeps acquireTime');

  a.controller.abort();
  b.controller.abort();
  await Promise.all([a.done, b.done]);
  assert.deepEqual(a.events, ['leader:a', 'started', 'leading-aborted', 'stopped']);
  assert.deepEqual(b.events, ['leader:a', 'stopped'], 'onStoppedLeading is called even if never leading, as upstream');
  assert.equal(clock.pending(), 0);
});

test('a candidate takes over leaseDuration after it last saw the record change, not after renewTime', async () => {
  const clock = new ManualClock();
  const client = new FakeLeaseClient();
  const a = candidate(client, clock, 'a');
  await advance(clock, 1000);
  const b = candidate(client, clock, 'b'); // polls at 1 s, 3 s, 5 s, …; a renews at 2 s, 4 s, …
  await advance(clock, 3500);
  a.controller.abort(); // at 4.5 s, after renewing at 4 s
  await a.done;
  assert.equal(client.stored()?.spec?.renewTime, formatMicroTime(4000));
  // b sees the 4 s renewal at 5 s; renewTime + 15 s = 19 s, but b counts from 5 s: it tries again exactly when the
  // lease it observed expires, at 20 s (+1 ms).
  await advance(clock, 15_000);
  assert.equal(b.elector.isLeader(), false, 'still waiting at 19.5 s');
  await advance(clock, 500);
  assert.equal(b.elector.isLeader(), false, 'still waiting at 20 s');
  await advance(clock, 1);
  assert.equal(b.elector.isLeader(), true, 'took over at 20.001 s');
  assert.deepEqual(b.events, ['leader:a', 'leader:b', 'started']);
  const spec = client.stored()?.spec;
  assert.equal(spec?.holderIdentity, 'b');
  assert.equal(spec?.leaseTransitions, 1);
  assert.equal(spec?.acquireTime, formatMicroTime(20_001));
  b.controller.abort();
  await b.done;
});

test('a leader whose renewals fail for renewDeadline stops leading', async () => {
  const clock = new ManualClock();
  const client = new FakeLeaseClient();
  const a = candidate(client, clock, 'a');
  await advance(clock, 1000);
  client.failUpdates = true; // renewals at 2, 4, … 10 s fail; the deadline is 2 s + 10 s
  await advance(clock, 10_900);
  assert.deepEqual(a.events, ['leader:a', 'started']);
  assert.equal(a.leadingSignal()?.aborted, false);
  await advance(clock, 100);
  await a.done;
  assert.deepEqual(a.events, ['leader:a', 'started', 'leading-aborted', 'stopped']);
  assert.equal(clock.now(), 12_000);
  assert.equal(clock.pending(), 0);
});

test('a renewal that hangs is abandoned at renewDeadline', async () => {
  const clock = new ManualClock();
  const client = new FakeLeaseClient();
  const a = candidate(client, clock, 'a');
  await advance(clock, 1000);
  client.hang = true;
  await advance(clock, 10_900);
  assert.equal(a.leadingSignal()?.aborted, false);
  await advance(clock, 100);
  await a.done;
  assert.deepEqual(a.events.slice(-2), ['leading-aborted', 'stopped']);
});

test('releaseOnCancel clears the holder so another candidate takes over at its next try', async () => {
  const clock = new ManualClock();
  const client = new FakeLeaseClient();
  const a = candidate(client, clock, 'a', { releaseOnCancel: true });
  await advance(clock, 1000);
  const b = candidate(client, clock, 'b');
  await advance(clock, 2000);
  a.controller.abort();
  await a.done;
  assert.deepEqual(a.events, ['leader:a', 'started', 'leading-aborted', 'stopped']);
  const released = client.stored()?.spec;
  assert.equal(released?.holderIdentity, '');
  assert.equal(released?.leaseDurationSeconds, 1);
  assert.equal(released?.leaseTransitions, 0);
  await advance(clock, 2000);
  assert.equal(b.elector.isLeader(), true);
  assert.equal(client.stored()?.spec?.leaseTransitions, 1);
  b.controller.abort();
  await b.done;
});

test('leaseTransitions counts changes of holder, not renewals or re-acquisition by the same holder', async () => {
  const clock = new ManualClock();
  const client = new FakeLeaseClient();
  const run = async (id: string, ms: number) => {
    const c = candidate(client, clock, id, { releaseOnCancel: true });
    await advance(clock, ms);
    assert.equal(c.elector.isLeader(), true, `${id} leads`);
    c.controller.abort();
    await c.done;
  };
  await run('a', 5000);
  assert.equal(client.stored()?.spec?.leaseTransitions, 0);
  await run('b', 5000);
  assert.equal(client.stored()?.spec?.leaseTransitions, 1);
  await run('a', 5000);
  assert.equal(client.stored()?.spec?.leaseTransitions, 2);

  // A Lease still held by our identity (say, after a restart) is taken at once, keeping its acquireTime.
  const held = new FakeLeaseClient();
  await held.create({
    metadata: { namespace: 'default', name: 'lock' },
    spec: { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: formatMicroTime(0), renewTime: formatMicroTime(0), leaseTransitions: 7 },
  });
  clock.advance(1000);
  const again = candidate(held, clock, 'a');
  await settle();
  assert.equal(again.elector.isLeader(), true);
  assert.equal(held.stored()?.spec?.leaseTransitions, 7);
  assert.equal(held.stored()?.spec?.acquireTime, formatMicroTime(0));
  again.controller.abort();
  await again.done;
});

test('retries while acquiring are jittered by up to 0.15 × retryPeriod', async () => {
  const clock = new ManualClock();
  const client = new FakeLeaseClient();
  const a = candidate(client, clock, 'a');
  await settle();
  const reads: number[] = [];
  const spy: LeaseClient = {
    get: (ns, name) => (reads.push(clock.now()), client.get(ns, name)),
    create: (l) => client.create(l),
    update: (l) => client.update(l),
  };
  const b = candidate(spy, clock, 'b', { random: () => 0.5 });
  await advance(clock, 10_000, 50);
  // Each wait is 2,000 × (1 + 0.5 × 0.15) = 2,150 ms.
  assert.deepEqual(reads, [0, 2150, 4300, 6450, 8600]);
  a.controller.abort();
  b.controller.abort();
  await Promise.all([a.done, b.done]);
});

test('an aborted run before acquiring returns without leading', async () => {
  const clock = new ManualClock();
  const client = new FakeLeaseClient();
  const a = candidate(client, clock, 'a');
  a.controller.abort();
  await a.done;
  assert.equal(a.events.includes('started'), false);
  await assert.rejects(a.elector.run(new AbortController().signal), /only once/);
});

test('aborting run while a renewal hangs ends leadership at once', async () => {
  const clock = new ManualClock();
  const client = new FakeLeaseClient();
  const a = candidate(client, clock, 'a');
  await advance(clock, 1000);
  client.hang = true;
  await advance(clock, 1500);
  a.controller.abort();
  await a.done;
  assert.deepEqual(a.events, ['leader:a', 'started', 'leading-aborted', 'stopped']);
  assert.equal(clock.now(), 2500);
  assert.equal(clock.pending(), 0);
});
