import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storageContract } from '../../../test/support/storage-contract.js';
import { SqliteStorage } from './sqlite-storage.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

storageContract('sqlite', async () => {
  const storage = SqliteStorage.open({ path: join(dir, `state-${n++}.db`), ttlSweepIntervalMs: 100 });
  return { storage, close: () => storage.close() };
});

storageContract('sqlite with a tiny event ring (watchers read the log)', async () => {
  const storage = SqliteStorage.open({ path: join(dir, `state-${n++}.db`), eventRingSize: 3, ttlSweepIntervalMs: 100 });
  return { storage, close: () => storage.close() };
});

test('a write is acknowledged, readable and watched only once the WAL is fsynced, in commit order', async () => {
  const held: (() => void)[] = [];
  const storage = SqliteStorage.open({
    path: join(dir, `state-${n++}.db`),
    checkpointIntervalMs: 0,
    fsync: (_fd, done) => {
      let released = false;
      held.push(() => {
        if (!released) done(null);
        released = true;
      });
    },
  });
  try {
    const ac = new AbortController();
    const seen: number[] = [];
    const watching = (async () => {
      for await (const ev of storage.watch('/k/', 0, { signal: ac.signal })) {
        seen.push(ev.revision);
        if (seen.length === 4) return;
      }
    })();
    const acked: string[] = [];
    const write = (key: string) => storage.create(key, key).then((kv) => (acked.push(key), kv));
    const a = write('/k/a');
    await until(() => held.length === 1);
    // Committed, not durable: nobody sees it yet.
    assert.deepEqual(acked, []);
    assert.equal(await storage.get('/k/a'), undefined);
    assert.equal(await storage.currentRevision(), 0);
    assert.deepEqual(seen, []);
    // b and c (one batch) get a second fsync of their own while the first runs; d, committed while two run, waits.
    const bc = [write('/k/b'), write('/k/c')];
    await until(() => held.length === 2);
    const d = write('/k/d');
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    assert.equal(held.length, 2, 'at most two fsyncs at once');
    assert.equal((await storage.list('/k/')).items.length, 0);
    // The second fsync finishing first makes everything before it durable too, acknowledged in commit order.
    held[1]!();
    await Promise.all([a, ...bc]);
    assert.deepEqual(acked, ['/k/a', '/k/b', '/k/c']);
    assert.equal((await storage.list('/k/')).items.length, 3, 'd is not durable yet');
    await until(() => held.length === 3);
    held[2]!();
    assert.equal((await d).modRevision, 4);
    held[0]!();
    await watching;
    assert.deepEqual(seen, [1, 2, 3, 4]);
    ac.abort();
  } finally {
    // close waits for the fsync of anything still committed.
    const closing = storage.close();
    for (const release of held) release();
    await closing;
  }
});

test('a failed fsync fails the writes waiting for it and every later one', async () => {
  const storage = SqliteStorage.open({ path: join(dir, `state-${n++}.db`), checkpointIntervalMs: 0, fsync: (_fd, done) => done(new Error('EIO')) });
  await assert.rejects(storage.create('/k/a', 'A'), /fsync failed: EIO/);
  await assert.rejects(storage.create('/k/b', 'B'), /closed/);
  await storage.close();
});

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(cond());
}
