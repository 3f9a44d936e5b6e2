// npm run bench -- storage: both Storage backends against raw better-sqlite3 and raw etcd3 in the same run.
import Database from 'better-sqlite3';
import { Etcd3 } from 'etcd3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage, type KeyValue, type Storage } from '../src/storage/index.js';
import { EtcdStorage } from '../src/storage/etcd/etcd-storage.js';
import { startEtcd } from '../test/support/etcd-server.js';
import { fmt, payload, percentile, printTable, rate, type Row } from './stats.js';

interface Sizes {
  readonly one: number;
  readonly fifty: number;
}

interface BackendFigures {
  create1: number;
  create50: number;
  update1: number;
  update50: number;
  listP50: number;
  listP99: number;
  watchP50: number;
  watchP99: number;
  writeToEventP99: number;
}

async function writes(storage: Storage, prefix: string, sizes: Sizes): Promise<Omit<BackendFigures, 'listP50' | 'listP99' | 'watchP50' | 'watchP99' | 'writeToEventP99'>> {
  const revs = new Map<string, number>();
  const put = (kv: KeyValue) => revs.set(kv.key, kv.modRevision);
  const create1 = await rate(sizes.one, 1, async (i) => put(await storage.create(`${prefix}one/${i}`, payload(i))));
  const create50 = await rate(sizes.fifty, 50, async (i) => put(await storage.create(`${prefix}fifty/${i}`, payload(i))));
  const update1 = await rate(sizes.one, 1, async (i) => {
    const key = `${prefix}one/${i}`;
    put(await storage.update(key, payload(i + 1), revs.get(key)!));
  });
  const update50 = await rate(sizes.fifty, 50, async (i) => {
    const key = `${prefix}fifty/${i}`;
    put(await storage.update(key, payload(i + 1), revs.get(key)!));
  });
  return { create1, create50, update1, update50 };
}

async function listLatency(storage: Storage, prefix: string): Promise<{ p50: number; p99: number }> {
  await rate(1000, 50, (i) => storage.create(`${prefix}list/${String(i).padStart(4, '0')}`, payload(i)));
  const samples: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t = performance.now();
    const res = await storage.list(`${prefix}list/`);
    samples.push(performance.now() - t);
    if (res.items.length !== 1000) throw new Error(`list returned ${res.items.length} keys`);
  }
  return { p50: percentile(samples.slice(5), 50), p99: percentile(samples.slice(5), 99) };
}

/** One writer; for each write, the time from its acknowledgement (commit) to the watch event, and from its call. */
async function watchLatency(storage: Storage, prefix: string, count: number): Promise<{ p50: number; p99: number; writeP99: number }> {
  const ac = new AbortController();
  const called = new Map<string, number>();
  const acked = new Map<string, number>();
  const seen = new Map<string, number>();
  let ready!: () => void;
  const established = new Promise<void>((r) => (ready = r));
  const start = await storage.currentRevision();
  const watching = (async () => {
    for await (const ev of storage.watch(`${prefix}lat/`, start, { signal: ac.signal })) {
      if (ev.key.endsWith('/ready')) ready();
      else seen.set(ev.key, performance.now());
      if (seen.size === count) break;
    }
  })();
  // A first write whose event proves the watch is live (etcd's is a remote stream) before anything is timed.
  await storage.create(`${prefix}lat/ready`, '{}');
  await established;
  for (let i = 0; i < count; i++) {
    const key = `${prefix}lat/${i}`;
    called.set(key, performance.now());
    await storage.create(key, payload(i));
    acked.set(key, performance.now());
  }
  const timeout = setTimeout(() => ac.abort(), 10_000);
  await watching;
  clearTimeout(timeout);
  ac.abort();
  const afterCommit = [...acked].map(([k, t]) => Math.max(0, (seen.get(k) ?? Infinity) - t));
  const afterCall = [...called].map(([k, t]) => (seen.get(k) ?? Infinity) - t);
  return { p50: percentile(afterCommit, 50), p99: percentile(afterCommit, 99), writeP99: percentile(afterCall, 99) };
}

async function measure(storage: Storage, sizes: Sizes): Promise<BackendFigures> {
  const prefix = `/registry/bench-${Date.now()}/`;
  const w = await writes(storage, prefix, sizes);
  const list = await listLatency(storage, prefix);
  const watch = await watchLatency(storage, prefix, 1000);
  return { ...w, listP50: list.p50, listP99: list.p99, watchP50: watch.p50, watchP99: watch.p99, writeToEventP99: watch.writeP99 };
}

function rawSqliteInserts(path: string, total: number): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE kv_log (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, created INTEGER NOT NULL,
    deleted INTEGER NOT NULL, create_revision INTEGER NOT NULL, prev_revision INTEGER NOT NULL, expires_at INTEGER, value TEXT);
    CREATE INDEX kv_log_name_id ON kv_log (name, id); CREATE INDEX kv_log_prev ON kv_log (prev_revision);`);
  const insert = db.prepare('INSERT INTO kv_log (name, created, deleted, create_revision, prev_revision, value) VALUES (?, 1, 0, 0, 0, ?)');
  const one = db.transaction((i: number) => insert.run(`/registry/raw/${i}`, payload(i)));
  const started = performance.now();
  for (let i = 0; i < total; i++) one(i);
  const r = total / ((performance.now() - started) / 1000);
  db.close();
  return r;
}

async function rawEtcdPuts(endpoint: string, sizes: Sizes): Promise<{ one: number; fifty: number }> {
  const client = new Etcd3({ hosts: endpoint });
  try {
    const tag = Date.now();
    const one = await rate(sizes.one, 1, (i) => client.put(`/raw/${tag}/one/${i}`).value(payload(i)).exec());
    const fifty = await rate(sizes.fifty, 50, (i) => client.put(`/raw/${tag}/fifty/${i}`).value(payload(i)).exec());
    return { one, fifty };
  } finally {
    client.close();
  }
}

function rows(f: BackendFigures, base: { one: number; fifty: number; label: string }, targets: { fifty: string; list: string; watch: string }): Row[] {
  const ratio = (a: number, b: number) => `${fmt(a / b, 2)}×`;
  return [
    { metric: 'creates/s, 1 writer', figure: fmt(f.create1), baseline: `${fmt(base.one)} (${base.label}, 1)`, ratio: ratio(f.create1, base.one) },
    { metric: 'creates/s, 50 writers', figure: fmt(f.create50), baseline: `${fmt(base.fifty)} (${base.label}, 50)`, ratio: ratio(f.create50, base.fifty), target: targets.fifty },
    { metric: 'updates/s, 1 writer', figure: fmt(f.update1), baseline: `${fmt(base.one)} (${base.label}, 1)`, ratio: ratio(f.update1, base.one) },
    { metric: 'updates/s, 50 writers', figure: fmt(f.update50), baseline: `${fmt(base.fifty)} (${base.label}, 50)`, ratio: ratio(f.update50, base.fifty), target: targets.fifty },
    { metric: 'list 1,000 keys, ms (p50 / p99)', figure: `${fmt(f.listP50, 2)} / ${fmt(f.listP99, 2)}`, target: targets.list },
    { metric: 'commit → watch event, ms (p50 / p99)', figure: `${fmt(f.watchP50, 3)} / ${fmt(f.watchP99, 3)}`, target: targets.watch },
    { metric: 'write call → watch event p99, ms', figure: fmt(f.writeToEventP99, 2) },
  ];
}

export async function storageBenchmark(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-'));
  try {
    const rawFull = rawSqliteInserts(join(dir, 'raw.db'), 3000);
    const sqlite = SqliteStorage.open({ path: join(dir, 'state.db') });
    const sq = await measure(sqlite, { one: 3000, fifty: 20_000 });
    await sqlite.close();
    printTable('sqlite (synchronous=FULL, group commit)', rows(sq, { one: rawFull, fifty: rawFull, label: 'raw better-sqlite3 1 row/txn FULL' }, {
      fifty: '≥ 1.0× raw',
      list: '≤ 5 ms',
      watch: 'p99 ≤ 2 ms',
    }));

    const etcd = await startEtcd();
    try {
      const raw = await rawEtcdPuts(etcd.endpoint, { one: 2000, fifty: 10_000 });
      const store = await EtcdStorage.open({ endpoints: [etcd.endpoint] });
      const et = await measure(store, { one: 2000, fifty: 10_000 });
      await store.close();
      printTable('etcd 3.4 (single member, loopback)', rows(et, { ...raw, label: 'raw etcd3 puts' }, { fifty: '≥ 0.8× raw', list: '', watch: 'p99 ≤ 20 ms' }));
    } finally {
      await etcd.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
