import { after } from 'node:test';
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
