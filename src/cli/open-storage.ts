import { join } from 'node:path';
import { openEtcdStorage, SqliteStorage, startCompactor, type Storage } from '../storage/index.js';

export interface StorageFlags {
  readonly storage: string;
  readonly etcdEndpoints?: string;
  /** --etcd-compaction-interval in milliseconds. */
  readonly compactionIntervalMs: number;
}

/** Opens the store the flags name (SQLite at DIR/state.db, or etcd) and starts its compactor. */
export async function openStorage(dataDir: string, flags: StorageFlags, signal: AbortSignal): Promise<Storage> {
  let storage: Storage;
  if (flags.storage === 'sqlite') {
    storage = SqliteStorage.open({ path: join(dataDir, 'state.db') });
  } else if (flags.storage === 'etcd') {
    const endpoints = (flags.etcdEndpoints ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (endpoints.length === 0) throw new Error('--storage etcd needs --etcd-endpoints URL[,URL…]');
    storage = await openEtcdStorage({ endpoints });
  } else {
    throw new Error(`unknown --storage ${flags.storage}: use sqlite or etcd`);
  }
  startCompactor(storage, { intervalMs: flags.compactionIntervalMs, signal, onError: (err) => console.error(`compaction failed: ${String(err)}`) });
  return storage;
}

/** Parses durations as upstream's flags take them: 300ms, 5m, 1h, 1h30m, 90s; a bare number is seconds. */
export function parseDuration(text: string): number {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = text;
  while (rest !== '') {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!m) throw new Error(`invalid duration ${JSON.stringify(text)}`);
    total += Number(m[1]) * units[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}
