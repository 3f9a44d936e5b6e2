import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { IEvent, IKeyValue, IWatchRequest, IWatchResponse } from 'etcd3';
import { isStorageError } from '../storage-error.js';
import type { StorageEvent } from '../storage.js';
import { etcdWatch, type EtcdWatchOptions, type WatchStream } from './etcd-watch.js';

class FakeStream extends EventEmitter {
  readonly written: IWatchRequest[] = [];
  ended = false;
  canceled = false;
  paused = false;
  write(req: IWatchRequest): void {
    this.written.push(req);
  }
  end(): void {
    this.ended = true;
  }
  cancel(): void {
    this.canceled = true;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
}

function kv(key: string, value: string, create: number, mod: number): IKeyValue {
  return { key: Buffer.from(key), value: Buffer.from(value), create_revision: String(create), mod_revision: String(mod), version: '1', lease: '0' };
}

function response(fields: Partial<IWatchResponse>): IWatchResponse {
  return {
    header: { cluster_id: '1', member_id: '1', revision: '0', raft_term: '1' },
    watch_id: '0',
    created: false,
    canceled: false,
    compact_revision: '0',
    cancel_reason: '',
    fragment: false,
    events: [],
    ...fields,
  };
}

const put = (k: IKeyValue, prev: IKeyValue | null = null): IEvent => ({ type: 'PUT' as IEvent['type'], kv: k, prev_kv: prev as IKeyValue });
const del = (key: string, rev: number, prev: IKeyValue | null): IEvent => ({
  type: 'DELETE' as IEvent['type'],
  kv: kv(key, '', 0, rev),
  prev_kv: prev as IKeyValue,
});

function setup(overrides: Partial<EtcdWatchOptions> = {}) {
  const stream = new FakeStream();
  const compactions: number[] = [];
  const iter = etcdWatch({
    openStream: async () => stream as unknown as WatchStream,
    prefix: '/p/',
    key: Buffer.from('/p/'),
    rangeEnd: Buffer.from('/p0'),
    afterRevision: 10,
    signals: [],
    onCompacted: (rev) => compactions.push(rev),
    ...overrides,
  });
  return { stream, iter, compactions };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => assert.fail('expected a rejection'),
    (err: unknown) => err,
  );
}

test('maps puts and deletes to events with previous values, starting after the given revision', async () => {
  const { stream, iter } = setup();
  const first = iter.next();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(stream.written[0]?.create_request?.start_revision, 11);
  assert.equal(stream.written[0]?.create_request?.prev_kv, true);
  stream.emit('data', response({ created: true }));
  const a1 = kv('/p/a', '1', 11, 11);
  const a2 = kv('/p/a', '2', 11, 12);
  stream.emit('data', response({ events: [put(a1), put(a2, a1), del('/p/a', 13, a2)] }));
  const events: StorageEvent[] = [(await first).value as StorageEvent];
  for (let i = 0; i < 2; i++) events.push((await iter.next()).value as StorageEvent);
  assert.deepEqual(events, [
    { type: 'ADDED', key: '/p/a', revision: 11, value: '1', createRevision: 11 },
    { type: 'MODIFIED', key: '/p/a', revision: 12, value: '2', prevValue: '1', createRevision: 11 },
    { type: 'DELETED', key: '/p/a', revision: 13, value: '2', prevValue: '2', createRevision: 11 },
  ]);
  await iter.return();
  assert.ok(stream.ended && stream.canceled);
});

test('a cancel with a compact revision fails the first step with Compacted', async () => {
  const { stream, iter, compactions } = setup();
  const first = iter.next();
  await new Promise((resolve) => setImmediate(resolve));
  stream.emit('data', response({ created: true }));
  stream.emit('data', response({ canceled: true, compact_revision: '42' }));
  const err = await rejection(first);
  assert.ok(isStorageError(err, 'Compacted'));
  assert.equal(err.revision, 42);
  assert.deepEqual(compactions, [42]);
  assert.ok(stream.canceled);
});

test('a cancel with a reason fails with Unavailable; stream errors fail after the buffered events', async () => {
  const a = setup();
  const first = a.iter.next();
  await new Promise((resolve) => setImmediate(resolve));
  a.stream.emit('data', response({ canceled: true, created: true, cancel_reason: 'etcdserver: permission denied' }));
  assert.ok(isStorageError(await rejection(first), 'Unavailable'));

  const b = setup();
  const next = b.iter.next();
  await new Promise((resolve) => setImmediate(resolve));
  b.stream.emit('data', response({ events: [put(kv('/p/x', '1', 11, 11))] }));
  b.stream.emit('error', Object.assign(new Error('14 UNAVAILABLE: Connection dropped'), { code: 14 }));
  assert.equal(((await next).value as StorageEvent).key, '/p/x');
  assert.ok(isStorageError(await rejection(b.iter.next()), 'Unavailable'));
});

test('an event without its previous value fails with Compacted', async () => {
  const { stream, iter } = setup();
  const first = iter.next();
  await new Promise((resolve) => setImmediate(resolve));
  stream.emit('data', response({ events: [del('/p/a', 12, null)] }));
  assert.ok(isStorageError(await rejection(first), 'Compacted'));
});

test('pauses the stream while the consumer is behind and resumes once it catches up', async () => {
  const { stream, iter } = setup({ highWaterMark: 10 });
  const first = iter.next();
  await new Promise((resolve) => setImmediate(resolve));
  const events = Array.from({ length: 12 }, (_, i) => put(kv(`/p/${i}`, '{}', 11 + i, 11 + i)));
  stream.emit('data', response({ events }));
  assert.equal(stream.paused, true);
  await first;
  for (let i = 1; i < 7; i++) await iter.next();
  assert.equal(stream.paused, true);
  await iter.next();
  assert.equal(stream.paused, false);
  for (let i = 8; i < 12; i++) assert.equal(((await iter.next()).value as StorageEvent).revision, 11 + i);
  await iter.return();
});

test('aborting ends the iteration without error and cancels the stream', async () => {
  const ac = new AbortController();
  const { stream, iter } = setup({ signals: [ac.signal] });
  const first = iter.next();
  await new Promise((resolve) => setImmediate(resolve));
  ac.abort();
  assert.deepEqual(await first, { done: true, value: undefined });
  assert.ok(stream.ended && stream.canceled);
  stream.emit('error', Object.assign(new Error('1 CANCELLED: Cancelled on client'), { code: 1 }));
  assert.deepEqual(await iter.next(), { done: true, value: undefined });
});
