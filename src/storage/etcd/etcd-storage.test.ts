import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Etcd3 } from 'etcd3';
import { storageContract, takeEvents } from '../../../test/support/storage-contract.js';
import { etcdSkipReason, startEtcd, type EtcdServer } from '../../../test/support/etcd-server.js';
import { isStorageError, type StorageError } from '../storage-error.js';
import type { StorageEvent } from '../storage.js';
import { EtcdStorage } from './etcd-storage.js';

const skip = etcdSkipReason();
if (skip !== undefined) console.log(`# skipping the etcd storage tests: ${skip}`);

async function failure(p: Promise<unknown>): Promise<StorageError> {
  try {
    await p;
  } catch (err) {
    assert.ok(isStorageError(err), `expected a StorageError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

/** Polls `check` until it holds; fails after `timeoutMs`. */
async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function watcherCount(endpoint: string): Promise<number> {
  const text = await (await fetch(`${endpoint}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('etcd_debugging_mvcc_watcher_total '));
  return Number(line?.split(' ')[1] ?? NaN);
}

describe('EtcdStorage', { skip }, () => {
  let etcd: EtcdServer;
  before(async () => {
    etcd = await startEtcd();
  });
  after(() => etcd?.stop());

  const open = async (): Promise<EtcdStorage> => EtcdStorage.open({ endpoints: [etcd.endpoint] });

  storageContract('etcd', async () => {
    const storage = await open();
    return { storage, close: () => storage.close() };
  });

  describe('etcd specifics', () => {
    test('a watch below a compaction it did not make fails with Compacted on the first step', async () => {
      const s = await open();
      const fresh = await open();
      const watcher = await open();
      const again = await open();
      try {
        const first = await s.create('/registry/compact-probe/a', '"1"');
        const second = await s.update('/registry/compact-probe/a', '"2"', first.modRevision);
        await s.compact(second.modRevision);
        assert.equal(await fresh.compactedRevision(), second.modRevision);
        const err = await failure((async () => {
          for await (const _ of watcher.watch('/registry/compact-probe/', first.modRevision - 1)) break;
        })());
        assert.equal(err.code, 'Compacted');
        assert.equal(err.revision, second.modRevision);
        const read = await failure(fresh.get('/registry/compact-probe/a', { revision: first.modRevision }));
        assert.equal(read.code, 'Compacted');
        await again.compact(first.modRevision);
        await again.compact(second.modRevision);
      } finally {
        await Promise.all([s.close(), fresh.close(), watcher.close(), again.close()]);
      }
    });

    test('TTL writes share a lease; a write without a TTL detaches the key', async () => {
      const s = await open();
      const raw = new Etcd3({ hosts: etcd.endpoint });
      try {
        const a = await s.create('/registry/events/ns/a', '{}', { ttlSeconds: 3600 });
        await s.create('/registry/events/ns/b', '{}', { ttlSeconds: 3600 });
        await Promise.all(['c', 'd', 'e'].map((n) => s.create(`/registry/events/ns/${n}`, '{}', { ttlSeconds: 3600 })));
        await s.create('/registry/events/ns/short', '{}', { ttlSeconds: 5 });
        const leases = await raw.getAll().prefix('/registry/events/ns/').exec();
        const byKey = new Map(leases.kvs.map((kv) => [kv.key.toString(), kv.lease]));
        const shared = byKey.get('/registry/events/ns/a');
        assert.ok(shared !== undefined && shared !== '0');
        for (const n of ['b', 'c', 'd', 'e']) assert.equal(byKey.get(`/registry/events/ns/${n}`), shared);
        assert.notEqual(byKey.get('/registry/events/ns/short'), shared);
        const granted = await raw.leaseClient.leaseTimeToLive({ ID: shared });
        assert.equal(Number(granted.grantedTTL), 3660);
        await s.update('/registry/events/ns/a', '{"x":1}', a.modRevision);
        assert.equal((await raw.get('/registry/events/ns/a').exec()).kvs[0]?.lease, '0');
      } finally {
        raw.close();
        await s.close();
      }
    });

    test('values over the request limit fail with TooLarge', async () => {
      const s = await open();
      try {
        assert.equal((await failure(s.create('/registry/big/a', 'x'.repeat(1_700_000)))).code, 'TooLarge');
        assert.equal((await failure(s.create('/registry/big/b', 'x'.repeat(3_000_000)))).code, 'TooLarge');
      } finally {
        await s.close();
      }
    });

    test('a slow consumer gets every event of a long backlog in order', async () => {
      const s = await open();
      try {
        const start = await s.currentRevision();
        const total = 2500;
        for (let i = 0; i < total; i += 50) {
          await Promise.all(Array.from({ length: 50 }, (_, j) => s.create(`/registry/backlog/${i + j}`, '{}')));
        }
        const events = await takeEvents(s, '/registry/backlog/', start, total, 30_000);
        for (let i = 1; i < events.length; i++) assert.ok(events[i]!.revision > events[i - 1]!.revision);
        assert.equal(new Set(events.map((e) => e.key)).size, total);
      } finally {
        await s.close();
      }
    });

    test('aborting a watch cancels the etcd watcher', async () => {
      const s = await open();
      try {
        const before = await watcherCount(etcd.endpoint);
        const ac = new AbortController();
        const iter = s.watch('/registry/abort/', await s.currentRevision(), { signal: ac.signal })[Symbol.asyncIterator]();
        const next = iter.next();
        await eventually(async () => (await watcherCount(etcd.endpoint)) === before + 1, 5000, 'the watcher to register');
        ac.abort();
        assert.deepEqual(await next, { done: true, value: undefined });
        await eventually(async () => (await watcherCount(etcd.endpoint)) === before, 5000, 'the watcher to go away');
      } finally {
        await s.close();
      }
    });
  });

  /** Resolves once the kernel reports the process as stopped (state T), failing after a deadline. */
  async function stopped(pid: number): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!/^\d+ \(.*\) T/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) {
      assert.ok(Date.now() < deadline, `process ${pid} did not stop`);
      await new Promise((r) => setImmediate(r));
    }
  }

  describe('member failures', () => {
    test('reads fail over to a live member', async () => {
      const dead = await startEtcd();
      await dead.stop();
      const s = await EtcdStorage.open({ endpoints: [dead.endpoint, etcd.endpoint] });
      try {
        for (let i = 0; i < 20; i++) assert.ok((await s.currentRevision()) > 0);
      } finally {
        await s.close();
      }
    });

    test('a hung member fails calls with Timeout within the deadline', async () => {
      const hung = await startEtcd();
      const s = await EtcdStorage.open({ endpoints: [hung.endpoint], callTimeoutMs: 300 });
      try {
        process.kill(hung.pid, 'SIGSTOP');
        await stopped(hung.pid);
        const started = Date.now();
        assert.equal((await failure(s.get('/registry/x'))).code, 'Timeout');
        assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
      } finally {
        await hung.stop();
        await s.close();
      }
    });

    test('a lost member fails the watch with Unavailable after the events it delivered', async () => {
      const member = await startEtcd();
      const s = await EtcdStorage.open({ endpoints: [member.endpoint], callTimeoutMs: 1000 });
      try {
        const start = await s.currentRevision();
        await s.create('/registry/lost/a', '{}');
        const seen: StorageEvent[] = [];
        const err = await failure((async () => {
          for await (const ev of s.watch('/registry/lost/', start)) {
            seen.push(ev);
            await member.stop();
          }
        })());
        assert.equal(err.code, 'Unavailable');
        assert.deepEqual(seen.map((e) => e.key), ['/registry/lost/a']);
        const started = Date.now();
        assert.ok(['Unavailable', 'Timeout'].includes((await failure(s.get('/registry/lost/a'))).code));
        assert.ok(Date.now() - started < 2500);
      } finally {
        await member.stop();
        await s.close();
      }
    });
  });
});
