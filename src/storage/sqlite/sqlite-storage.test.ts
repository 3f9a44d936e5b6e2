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

test('a write is acknowledged, readable and watched only once the WAL is fsynced, and batches share fsyncs', async () => {
  const held: (() => void)[] = [];
  let fsyncs = 0;
  const storage = SqliteStorage.open({
    path: join(dir, `state-${n++}.db`),
    checkpointIntervalMs: 0,
    fsync: (fd, done) => {
      fsyncs++;
      held.push(() => done(null));
    },
  });
  try {
    const ac = new AbortController();
    const seen: number[] = [];
    const watching = (async () => {
      for await (const ev of storage.watch('/k/', 0, { signal: ac.signal })) {
        seen.push(ev.revision);
        if (seen.length === 3) return;
      }
    })();
    let acked = 0;
    const first = storage.create('/k/a', 'A').then((kv) => (acked++, kv));
    await until(() => held.length === 1);
    // Committed, not durable: nobody sees it yet.
    assert.equal(acked, 0);
    assert.equal(await storage.get('/k/a'), undefined);
    assert.equal(await storage.currentRevision(), 0);
    assert.deepEqual(seen, []);
    // Two more writes commit meanwhile and wait for the next fsync together.
    const more = [storage.create('/k/b', 'B'), storage.create('/k/c', 'C')];
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.equal(held.length, 1, 'one fsync at a time');
    held.shift()!();
    assert.equal((await first).modRevision, 1);
    assert.equal((await storage.get('/k/a'))?.value, 'A');
    assert.equal((await storage.list('/k/')).items.length, 1, 'the later writes are not durable yet');
    await until(() => held.length === 1);
    held.shift()!();
    const [b, c] = await Promise.all(more);
    assert.deepEqual([b?.modRevision, c?.modRevision], [2, 3]);
    await watching;
    assert.deepEqual(seen, [1, 2, 3]);
    assert.equal(fsyncs, 2);
    ac.abort();
  } finally {
    // close waits for the fsync of anything still committed.
    const closing = storage.close();
    for (let i = 0; i < 100 && held.length > 0; i++) held.shift()!();
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
