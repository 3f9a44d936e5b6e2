import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SqliteStorage } from '../../src/storage/index.js';
import { takeEvents } from '../support/storage-contract.js';

const WRITERS = 8;
const writerScript = new URL('../support/sqlite-writer.js', import.meta.url).pathname;

/** Runs the writer process until it has acknowledged `acks` writes, then kills it with SIGKILL mid-burst. */
async function burstThenKill(path: string, acks: number): Promise<Map<number, { seq: number; rev: number }>> {
  const child = spawn(process.execPath, [writerScript, path, String(WRITERS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acked = new Map<number, { seq: number; rev: number }>();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000);
  let count = 0;
  for await (const line of createInterface({ input: child.stdout! })) {
    const [word, w, seq, rev] = line.split(' ');
    if (word !== 'ack') continue;
    acked.set(Number(w), { seq: Number(seq), rev: Number(rev) });
    if (++count === acks) child.kill('SIGKILL');
  }
  clearTimeout(deadline);
  await exited;
  assert.ok(count >= acks, `the writer acknowledged only ${count} writes`);
  return acked;
}

test('sqlite: every acknowledged write survives kill -9 during a write burst', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-kill9-'));
  const path = join(dir, 'state.db');
  try {
    let lastRevision = 0;
    for (let round = 0; round < 3; round++) {
      const acked = await burstThenKill(path, 1500 + round * 500);
      const storage = SqliteStorage.open({ path });
      try {
        const maxAcked = Math.max(...[...acked.values()].map((a) => a.rev));
        const current = await storage.currentRevision();
        assert.ok(current >= maxAcked, `revision went back: ${current} < ${maxAcked}`);
        assert.ok(current > lastRevision);
        for (const [w, a] of acked) {
          const kv = await storage.get(`/registry/configmaps/durability/w${w}`);
          assert.ok(kv, `writer ${w}'s key is gone`);
          const stored = JSON.parse(kv.value) as { seq: number };
          assert.ok(stored.seq >= a.seq, `writer ${w}: acknowledged seq ${a.seq}, stored ${stored.seq}`);
          assert.ok(kv.modRevision >= a.rev);
        }
        const from = Math.max(0, maxAcked - 100);
        const events = await takeEvents(storage, '/registry/configmaps/durability/', from, current - from);
        assert.deepEqual(
          events.map((e) => e.revision),
          Array.from({ length: current - from }, (_, i) => from + 1 + i),
        );
        const fresh = await storage.create('/registry/configmaps/durability/after', '{}');
        assert.equal(fresh.modRevision, current + 1);
        await storage.delete(fresh.key);
        lastRevision = await storage.currentRevision();
      } finally {
        await storage.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
