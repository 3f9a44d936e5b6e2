import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../lib/index.js';
import { SqliteStorage } from './index.js';
import { startCompactor } from './compactor.js';

test('the compactor compacts to the revision seen one interval earlier', async () => {
  const storage = SqliteStorage.open({ path: ':memory:', checkpointIntervalMs: 0 });
  const clock = new ManualClock();
  const ac = new AbortController();
  try {
    const compactor = startCompactor(storage, { intervalMs: 1000, clock, signal: ac.signal });
    await storage.create('/registry/a/x', '1');
    clock.advance(1000);
    await compactor.whenIdle();
    assert.equal(await storage.compactedRevision(), 0);
    const seen = await storage.currentRevision();
    await storage.create('/registry/a/y', '2');
    clock.advance(1000);
    await compactor.whenIdle();
    assert.equal(await storage.compactedRevision(), seen);
    ac.abort();
    assert.equal(clock.pending(), 0);
  } finally {
    await storage.close();
  }
});
