import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { ApiServer } from '../apiserver/index.js';
import { RestClient } from '../client/index.js';
import { SqliteStorage, type Storage, type StorageEvent } from '../storage/index.js';
import { inProcessTransport } from './in-process-transport.js';

const PREFIX = '/registry/configmaps/';

/** Real SQLite storage whose ConfigMap watch (what feeds the watch cache) can be held back, and whose reads of ConfigMaps are counted. */
function heldStorage(inner: Storage) {
  let gate: Promise<void> | undefined;
  let open = () => {};
  const counts = { configMapReads: 0 };
  async function* gated(events: AsyncIterable<StorageEvent>): AsyncIterable<StorageEvent> {
    for await (const ev of events) {
      if (ev.key.startsWith(PREFIX)) await gate;
      yield ev;
    }
  }
  const storage = new Proxy(inner, {
    get(target, prop) {
      if (prop === 'get') {
        return (key: string, options?: unknown) => {
          if (key.startsWith(PREFIX)) counts.configMapReads++;
          return target.get(key, options as never);
        };
      }
      if (prop === 'watch') return (prefix: string, after: number, options?: unknown) => gated(target.watch(prefix, after, options as never));
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    storage,
    counts,
    hold: () => (gate = new Promise<void>((resolve) => (open = resolve))),
    release: () => {
      gate = undefined;
      open();
    },
  };
}

test('an update starts from the watch cache, and from a fresh read when the cache is behind storage', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-cached-update-'));
  const inner = SqliteStorage.open({ path: join(dir, 'state.db') });
  const held = heldStorage(inner);
  const server = new ApiServer({ dataDir: dir, storage: held.storage, port: 0 });
  const ac = new AbortController();
  try {
    await server.start();
    await server.ready();
    const cms = new RestClient(inProcessTransport(server.inProcess({ username: 'admin', groups: ['system:masters', 'system:authenticated'] }))).kind<ConfigMap>('v1', 'ConfigMap');
    const start = (await cms.list('default')).metadata.resourceVersion;
    const events = cms.watch('default', { resourceVersion: start }, ac.signal)[Symbol.asyncIterator]();
    const seen = async (rv: string | undefined) => {
      for (;;) {
        const next = await events.next();
        assert.equal(next.done, false, 'the watch ended');
        if (next.value.object.metadata?.resourceVersion === rv) return;
      }
    };

    const created = await cms.create('default', { metadata: { name: 'c' }, data: { a: '1' } });
    await seen(created.metadata?.resourceVersion);
    held.counts.configMapReads = 0;
    const patched = await cms.patch('default', 'c', 'merge', { data: { b: '2' } });
    assert.deepEqual(patched.data, { a: '1', b: '2' });
    assert.equal(held.counts.configMapReads, 0, 'the patch started from the cached object');
    await seen(patched.metadata?.resourceVersion);

    // The cache stops at `patched`; a write it has not seen makes its copy stale.
    held.hold();
    const replaced = await cms.update('default', { ...patched, data: { ...patched.data, c: '3' } });
    held.counts.configMapReads = 0;
    const merged = await cms.patch('default', 'c', 'merge', { data: { d: '4' } });
    assert.deepEqual(merged.data, { a: '1', b: '2', c: '3', d: '4' }, 'nothing written meanwhile is lost');
    assert.ok(Number(merged.metadata?.resourceVersion) > Number(replaced.metadata?.resourceVersion));
    assert.ok(held.counts.configMapReads >= 1, 'the stale copy was given up for a fresh read');

    // A precondition checked against the stale copy is checked again against storage before it is refused.
    const guarded = await cms.patch('default', 'c', 'merge', { metadata: { resourceVersion: merged.metadata?.resourceVersion }, data: { e: '5' } });
    assert.equal(guarded.data?.e, '5');
    held.release();
    await seen(guarded.metadata?.resourceVersion);
    assert.deepEqual((await cms.get('default', 'c')).data, { a: '1', b: '2', c: '3', d: '4', e: '5' });
  } finally {
    held.release();
    ac.abort();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
