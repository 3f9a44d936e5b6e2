import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/index.js';
import { ManualClock } from '../lib/index.js';
import { Reflector, type ListerWatcher, type ReflectorSink } from './reflector.js';
import type { KubeObject, ListOptions, ObjectList, WatchOptions } from './rest-client.js';
import type { WatchEvent } from './watch-decoder.js';

/** A watch stream the test feeds: events, then an end or an error. It ends when the watch's signal aborts. */
class FakeWatch implements AsyncIterable<WatchEvent<KubeObject>> {
  private readonly queue: ({ event: WatchEvent<KubeObject> } | { end: true } | { error: unknown })[] = [];
  private wake: (() => void) | undefined;
  closed = false;

  constructor(signal: AbortSignal) {
    signal.addEventListener('abort', () => this.end(), { once: true });
  }

  send(type: WatchEvent<KubeObject>['type'], object: KubeObject): void {
    this.push({ event: { type, object } });
  }
  end(): void {
    this.push({ end: true });
  }
  fail(error: unknown): void {
    this.push({ error });
  }
  private push(item: (typeof this.queue)[number]): void {
    this.queue.push(item);
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<WatchEvent<KubeObject>> {
    try {
      for (;;) {
        while (this.queue.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
        const item = this.queue.shift()!;
        if ('event' in item) yield item.event;
        else if ('end' in item) return;
        else throw item.error;
      }
    } finally {
      this.closed = true;
    }
  }
}

type ListResult = ObjectList<KubeObject> | Error;

/** Records every list and watch; lists answer from `listResults` (hanging until aborted when it is empty). */
class FakeListerWatcher implements ListerWatcher<KubeObject> {
  readonly lists: ListOptions[] = [];
  readonly watches: { opts: WatchOptions; stream: FakeWatch }[] = [];
  readonly listResults: ListResult[] = [];

  async list(opts: ListOptions, signal: AbortSignal): Promise<ObjectList<KubeObject>> {
    this.lists.push(opts);
    const result = this.listResults.shift();
    if (result === undefined) {
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    }
    if (result instanceof Error) throw result;
    return result;
  }

  watch(opts: WatchOptions, signal: AbortSignal): AsyncIterable<WatchEvent<KubeObject>> {
    const stream = new FakeWatch(signal);
    this.watches.push({ opts, stream });
    return stream;
  }

  lastWatch(): FakeWatch {
    const w = this.watches.at(-1);
    assert.ok(w, 'no watch was opened');
    return w.stream;
  }
}

class RecordingSink implements ReflectorSink<KubeObject> {
  readonly calls: string[] = [];
  replace(items: KubeObject[], rv: string): void {
    this.calls.push(`replace ${items.map((i) => i.metadata?.name).join(',')} @${rv}`);
  }
  added(obj: KubeObject): void {
    this.calls.push(`added ${obj.metadata?.name}`);
  }
  modified(obj: KubeObject): void {
    this.calls.push(`modified ${obj.metadata?.name}`);
  }
  deleted(obj: KubeObject): void {
    this.calls.push(`deleted ${obj.metadata?.name}`);
  }
}

const pod = (name: string, rv: string): KubeObject => ({ metadata: { namespace: 'ns', name, resourceVersion: rv } });
const list = (rv: string, ...items: KubeObject[]): ObjectList<KubeObject> => ({ metadata: { resourceVersion: rv }, items });

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

function start(lw: FakeListerWatcher, clock = new ManualClock(1_000_000)) {
  const sink = new RecordingSink();
  const logs: string[] = [];
  const reflector = new Reflector(lw, sink, { clock, log: (m) => logs.push(m), name: 'pods' });
  const controller = new AbortController();
  const done = reflector.run(controller.signal);
  return { reflector, sink, clock, controller, done, logs };
}

test('lists from resourceVersion "0" first, then watches from the list\'s resourceVersion with bookmarks', async () => {
  const lw = new FakeListerWatcher();
  lw.listResults.push(list('10', pod('a', '3'), pod('b', '7')));
  const r = start(lw);
  await settle();
  assert.deepEqual(lw.lists, [{ resourceVersion: '0' }]);
  assert.deepEqual(r.sink.calls, ['replace a,b @10']);
  assert.equal(r.reflector.resourceVersion, '10');
  assert.equal(lw.watches.length, 1);
  const opts = lw.watches[0]!.opts;
  assert.equal(opts.resourceVersion, '10');
  assert.equal(opts.allowWatchBookmarks, true);
  assert.ok(opts.timeoutSeconds !== undefined && opts.timeoutSeconds >= 300 && opts.timeoutSeconds < 600, `timeoutSeconds ${opts.timeoutSeconds}`);
  r.controller.abort();
  await r.done;
});

test('delivers watch events in order and resumes an ended watch from the last resourceVersion seen, bookmarks included', async () => {
  const lw = new FakeListerWatcher();
  lw.listResults.push(list('10'));
  const r = start(lw);
  await settle();
  const w1 = lw.lastWatch();
  w1.send('ADDED', pod('a', '11'));
  w1.send('MODIFIED', pod('a', '12'));
  w1.send('DELETED', pod('a', '13'));
  w1.send('BOOKMARK', { metadata: { resourceVersion: '20' } });
  w1.end();
  await settle();
  assert.deepEqual(r.sink.calls, ['replace  @10', 'added a', 'modified a', 'deleted a']);
  assert.equal(lw.watches.length, 2, 'a watch that ended normally is resumed at once');
  assert.equal(lw.watches[1]!.opts.resourceVersion, '20');
  assert.equal(r.reflector.resourceVersion, '20');
  assert.equal(lw.lists.length, 1, 'no relist');

  // A bookmark alone counts as progress too.
  lw.lastWatch().send('BOOKMARK', { metadata: { resourceVersion: '25' } });
  lw.lastWatch().end();
  await settle();
  assert.equal(lw.watches.length, 3);
  assert.equal(lw.watches[2]!.opts.resourceVersion, '25');
  r.controller.abort();
  await r.done;
});

test('a 410 from the watch relists with resourceVersion "" (a consistent read), then watches from that list', async () => {
  const lw = new FakeListerWatcher();
  lw.listResults.push(list('10', pod('a', '5')));
  const r = start(lw);
  await settle();
  lw.lastWatch().send('ADDED', pod('b', '11'));
  lw.lastWatch().fail(ApiError.resourceExpired('too old resource version: 11 (40)'));
  await settle();
  lw.listResults.push(list('50', pod('c', '45')));
  r.clock.advance(800);
  await settle();
  assert.equal(lw.lists.length, 2);
  assert.deepEqual(lw.lists[1], { resourceVersion: '' });
  assert.deepEqual(r.sink.calls, ['replace a @10', 'added b', 'replace c @50']);
  assert.equal(lw.lastWatch(), lw.watches[1]!.stream);
  assert.equal(lw.watches[1]!.opts.resourceVersion, '50');
  assert.ok(lw.watches[0]!.stream.closed);
  r.controller.abort();
  await r.done;
});

test('a 410 Gone Status (as decodeWatchEvents throws it) also relists', async () => {
  const lw = new FakeListerWatcher();
  lw.listResults.push(list('10'));
  const r = start(lw);
  await settle();
  lw.lastWatch().fail(ApiError.fromStatus({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Gone', message: 'gone' }));
  lw.listResults.push(list('60'));
  await settle();
  r.clock.advance(30_000);
  await settle();
  assert.deepEqual(lw.lists, [{ resourceVersion: '0' }, { resourceVersion: '' }]);
  assert.equal(lw.lastWatch() === lw.watches[1]!.stream, true);
  assert.equal(lw.watches[1]!.opts.resourceVersion, '60');
  r.controller.abort();
  await r.done;
});

test('a failing list backs off 800 ms, 1.6 s, 3.2 s …, and a successful list resets the backoff', async () => {
  const lw = new FakeListerWatcher();
  lw.listResults.push(new Error('connection refused'), new Error('connection refused'), new Error('connection refused'));
  const r = start(lw);
  await settle();
  assert.equal(lw.lists.length, 1);
  for (const [wait, expected] of [
    [800, 2],
    [1600, 3],
    [3200, 4],
  ] as const) {
    r.clock.advance(wait - 1);
    await settle();
    assert.equal(lw.lists.length, expected - 1, `no list before ${wait} ms`);
    r.clock.advance(1);
    await settle();
    assert.equal(lw.lists.length, expected, `a list after ${wait} ms`);
  }
  // The fourth list (pending) succeeds; a failing watch then waits the initial 800 ms again.
  assert.equal(lw.lists.at(-1)?.resourceVersion, '0');
  r.controller.abort();
  await r.done;
  assert.ok(r.logs.some((l) => l.includes('connection refused')));

  const lw2 = new FakeListerWatcher();
  lw2.listResults.push(new Error('down'), list('10'));
  const r2 = start(lw2);
  await settle();
  r2.clock.advance(800);
  await settle();
  assert.equal(lw2.watches.length, 1);
  lw2.lastWatch().fail(new Error('stream reset'));
  await settle();
  r2.clock.advance(799);
  await settle();
  assert.equal(lw2.watches.length, 1, 'the backoff was reset by the successful list');
  r2.clock.advance(1);
  await settle();
  assert.equal(lw2.watches.length, 2);
  assert.equal(lw2.watches[1]!.opts.resourceVersion, '10');
  assert.equal(lw2.lists.length, 2, 'a failed watch is retried without a relist');
  r2.controller.abort();
  await r2.done;
});

test('a watch that ends at once without an event is an error: it backs off, doubling', async () => {
  const lw = new FakeListerWatcher();
  lw.listResults.push(list('10'));
  const r = start(lw);
  await settle();
  lw.lastWatch().end();
  await settle();
  assert.equal(lw.watches.length, 1, 'no immediate rewatch');
  assert.ok(r.logs.some((l) => l.includes('very short watch')));
  r.clock.advance(800);
  await settle();
  assert.equal(lw.watches.length, 2);
  lw.lastWatch().end();
  await settle();
  r.clock.advance(1599);
  await settle();
  assert.equal(lw.watches.length, 2);
  r.clock.advance(1);
  await settle();
  assert.equal(lw.watches.length, 3);
  assert.equal(lw.watches[2]!.opts.resourceVersion, '10');

  // A watch that lasted a while before ending quietly is no error: it is resumed at once.
  r.clock.advance(60_000);
  lw.lastWatch().end();
  await settle();
  assert.equal(lw.watches.length, 4);
  r.controller.abort();
  await r.done;
});

test('stops when the signal aborts: during a watch, a list and a backoff', async () => {
  // During a watch.
  const lw = new FakeListerWatcher();
  lw.listResults.push(list('10'));
  const r = start(lw);
  await settle();
  r.controller.abort();
  await r.done;
  assert.ok(lw.lastWatch().closed);
  assert.equal(lw.watches.length, 1);
  assert.equal(lw.lists.length, 1);
  assert.equal(r.clock.pending(), 0);

  // During a list that never answers.
  const lw2 = new FakeListerWatcher();
  const r2 = start(lw2);
  await settle();
  r2.controller.abort();
  await r2.done;
  assert.equal(lw2.lists.length, 1);
  assert.equal(lw2.watches.length, 0);

  // During a backoff.
  const lw3 = new FakeListerWatcher();
  lw3.listResults.push(new Error('down'), list('1'));
  const r3 = start(lw3);
  await settle();
  assert.equal(r3.clock.pending(), 1);
  r3.controller.abort();
  await r3.done;
  assert.equal(r3.clock.pending(), 0);
  r3.clock.advance(60_000);
  await settle();
  assert.equal(lw3.lists.length, 1);
});
