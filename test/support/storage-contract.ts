// The Storage contract (src/storage/storage.ts) as one suite that every backend runs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { isStorageError, type Storage, type StorageEvent } from '../../src/storage/index.js';

export interface StorageUnderTest {
  readonly storage: Storage;
  close(): Promise<void>;
}

/** Collects `count` events from a watch, failing after `timeoutMs`. */
export async function takeEvents(
  storage: Storage,
  prefix: string,
  afterRevision: number,
  count: number,
  timeoutMs = 5000,
): Promise<StorageEvent[]> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const events: StorageEvent[] = [];
  try {
    for await (const ev of storage.watch(prefix, afterRevision, { signal: ac.signal })) {
      events.push(ev);
      if (events.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  assert.equal(events.length, count, `expected ${count} events within ${timeoutMs} ms, got ${events.length}`);
  return events;
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    assert.ok(isStorageError(err), `expected a StorageError ${code}, got ${String(err)}`);
    assert.equal(err.code, code);
    return err;
  }
  assert.fail(`expected StorageError ${code}, but the call succeeded`);
}

function assertOrderedNoGaps(events: StorageEvent[]): void {
  for (let i = 1; i < events.length; i++) {
    assert.ok(events[i]!.revision > events[i - 1]!.revision, `events out of order at ${i}`);
  }
}

export function storageContract(name: string, open: () => Promise<StorageUnderTest>): void {
  describe(`Storage contract: ${name}`, () => {
    const withStore = (title: string, fn: (s: Storage, prefix: string) => Promise<void>) =>
      test(title, async () => {
        const sut = await open();
        try {
          await fn(sut.storage, `/registry/test-${randomUUID().slice(0, 8)}/`);
        } finally {
          await sut.close();
        }
      });

    withStore('create, get, update, delete round trip with revisions', async (s, p) => {
      const before = await s.currentRevision();
      const created = await s.create(`${p}a`, '{"v":1}');
      assert.ok(created.modRevision > before);
      assert.equal(created.createRevision, created.modRevision);
      assert.deepEqual(await s.get(`${p}a`), created);
      await rejectsWith(s.create(`${p}a`, '{"v":2}'), 'KeyExists');

      const updated = await s.update(`${p}a`, '{"v":2}', created.modRevision);
      assert.ok(updated.modRevision > created.modRevision);
      assert.equal(updated.createRevision, created.createRevision);
      assert.equal(updated.value, '{"v":2}');
      const conflict = await rejectsWith(s.update(`${p}a`, '{"v":3}', created.modRevision), 'Conflict');
      assert.equal((conflict as { current?: { modRevision: number } }).current?.modRevision, updated.modRevision);
      await rejectsWith(s.update(`${p}missing`, '{}', 1), 'NotFound');

      await rejectsWith(s.delete(`${p}a`, created.modRevision), 'Conflict');
      const deleted = await s.delete(`${p}a`, updated.modRevision);
      assert.equal(deleted.prev.value, '{"v":2}');
      assert.ok(deleted.revision > updated.modRevision);
      assert.equal(await s.get(`${p}a`), undefined);
      await rejectsWith(s.delete(`${p}a`), 'NotFound');
      assert.equal(await s.currentRevision(), deleted.revision);
      const again = await s.create(`${p}a`, '{"v":4}');
      assert.equal(again.createRevision, again.modRevision);
    });

    withStore('list at latest, at a past revision, and in pages', async (s, p) => {
      for (let i = 0; i < 7; i++) await s.create(`${p}k${i}`, JSON.stringify({ i }));
      await s.create(`${p.slice(0, -1)}-sibling/x`, '{}');
      const mid = await s.currentRevision();
      await s.delete(`${p}k3`);
      await s.update(`${p}k0`, '{"i":"zero"}', (await s.get(`${p}k0`))!.modRevision);

      const latest = await s.list(p);
      assert.deepEqual(latest.items.map((kv) => kv.key.slice(p.length)), ['k0', 'k1', 'k2', 'k4', 'k5', 'k6']);
      assert.equal(latest.items[0]!.value, '{"i":"zero"}');
      assert.equal(latest.revision, await s.currentRevision());
      assert.equal(await s.count(p), 6);

      const past = await s.list(p, { revision: mid });
      assert.equal(past.items.length, 7);
      assert.equal(past.items[0]!.value, '{"i":0}');
      assert.equal((await s.get(`${p}k3`, { revision: mid }))?.value, '{"i":3}');

      const keys: string[] = [];
      let page = await s.list(p, { limit: 4, revision: mid });
      assert.equal(page.remaining, 3);
      keys.push(...page.items.map((kv) => kv.key));
      await s.create(`${p}k7`, '{}');
      while (page.continueKey !== undefined) {
        page = await s.list(p, { limit: 4, revision: page.revision, startKey: page.continueKey });
        keys.push(...page.items.map((kv) => kv.key));
      }
      assert.deepEqual(keys.map((k) => k.slice(p.length)), ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
      await rejectsWith(s.get(`${p}k0`, { revision: (await s.currentRevision()) + 100 }), 'FutureRevision');
    });

    withStore('concurrent compare-and-swap on one key has exactly one winner', async (s, p) => {
      const kv = await s.create(`${p}cas`, '{"n":0}');
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => s.update(`${p}cas`, JSON.stringify({ n: i + 1 }), kv.modRevision)),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(isStorageError(r.reason, 'Conflict'));
      const creates = await Promise.allSettled(Array.from({ length: 10 }, () => s.create(`${p}once`, '{}')));
      assert.equal(creates.filter((r) => r.status === 'fulfilled').length, 1);
    });

    withStore('guaranteedUpdate retries until every increment lands', async (s, p) => {
      await Promise.all(
        Array.from({ length: 25 }, () =>
          s.guaranteedUpdate(`${p}counter`, (cur) => JSON.stringify({ n: cur ? (JSON.parse(cur.value) as { n: number }).n + 1 : 1 })),
        ),
      );
      assert.equal((await s.get(`${p}counter`))?.value, '{"n":25}');
      const unchanged = await s.guaranteedUpdate(`${p}counter`, () => undefined);
      assert.equal(unchanged?.value, '{"n":25}');
    });

    withStore('watch yields ordered events with previous values and resumes from any revision', async (s, p) => {
      const start = await s.currentRevision();
      const a = await s.create(`${p}a`, '"a1"');
      await s.create(`${p.slice(0, -1)}-other/z`, '"no"');
      const a2 = await s.update(`${p}a`, '"a2"', a.modRevision);
      await s.create(`${p}b`, '"b1"');
      await s.delete(`${p}a`);

      const events = await takeEvents(s, p, start, 4);
      assert.deepEqual(
        events.map((e) => [e.type, e.key.slice(p.length), e.value, e.prevValue]),
        [
          ['ADDED', 'a', '"a1"', undefined],
          ['MODIFIED', 'a', '"a2"', '"a1"'],
          ['ADDED', 'b', '"b1"', undefined],
          ['DELETED', 'a', '"a2"', '"a2"'],
        ],
      );
      assertOrderedNoGaps(events);
      assert.equal(events[1]!.revision, a2.modRevision);

      const resumed = await takeEvents(s, p, a2.modRevision, 2);
      assert.deepEqual(resumed.map((e) => e.type), ['ADDED', 'DELETED']);
    });

    withStore('a watch started during a burst of writes misses nothing', async (s, p) => {
      const start = await s.currentRevision();
      const total = 300;
      const writes = (async () => {
        for (let i = 0; i < total; i += 10) {
          await Promise.all(Array.from({ length: 10 }, (_, j) => s.create(`${p}${String(i + j).padStart(4, '0')}`, '{}')));
        }
      })();
      const seen = await takeEvents(s, p, start, total, 20_000);
      await writes;
      assertOrderedNoGaps(seen);
      assert.equal(new Set(seen.map((e) => e.key)).size, total);
      const live = await takeEvents(s, p, start + 100, total - 100);
      assert.deepEqual(live.map((e) => e.key), seen.filter((e) => e.revision > start + 100).map((e) => e.key));
    });

    withStore('compaction: past reads and watches below it fail with Compacted', async (s, p) => {
      const first = await s.create(`${p}c`, '"1"');
      let cur = first;
      for (let i = 2; i <= 5; i++) cur = await s.update(`${p}c`, `"${i}"`, cur.modRevision);
      await s.compact(cur.modRevision);
      await s.compact(cur.modRevision);
      assert.ok((await s.compactedRevision()) >= cur.modRevision);
      await rejectsWith(s.get(`${p}c`, { revision: first.modRevision }), 'Compacted');
      assert.equal((await s.get(`${p}c`))?.value, '"5"');
      assert.equal((await s.list(p)).items.length, 1);
      await rejectsWith(
        (async () => {
          for await (const _ of s.watch(p, first.modRevision)) break;
        })(),
        'Compacted',
      );
      const next = await s.update(`${p}c`, '"6"', cur.modRevision);
      const events = await takeEvents(s, p, cur.modRevision, 1);
      assert.equal(events[0]!.revision, next.modRevision);
    });

    withStore('keys with a TTL expire with a DELETED event', async (s, p) => {
      const start = await s.currentRevision();
      await s.create(`${p}ttl`, '"short"', { ttlSeconds: 1 });
      await s.create(`${p}kept`, '"long"');
      const events = await takeEvents(s, p, start, 3, 10_000);
      assert.deepEqual(events.map((e) => [e.type, e.key.slice(p.length)]), [
        ['ADDED', 'ttl'],
        ['ADDED', 'kept'],
        ['DELETED', 'ttl'],
      ]);
      assert.equal(await s.get(`${p}ttl`), undefined);
      assert.equal((await s.get(`${p}kept`))?.value, '"long"');
    });

    withStore('an aborted watch ends without error', async (s, p) => {
      const ac = new AbortController();
      const iter = s.watch(p, await s.currentRevision(), { signal: ac.signal });
      const done = (async () => {
        let n = 0;
        for await (const _ of iter) n++;
        return n;
      })();
      await s.create(`${p}x`, '{}');
      ac.abort();
      assert.ok((await done) <= 1);
    });
  });
}
