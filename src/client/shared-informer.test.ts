import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/index.js';
import { ManualClock } from '../lib/index.js';
import type { ListerWatcher } from './reflector.js';
import type { KubeObject, ListOptions, ObjectList, WatchOptions } from './rest-client.js';
import { SharedInformer, type EventHandler } from './shared-informer.js';
import type { WatchEvent } from './watch-decoder.js';

class ListQueue {
  private readonly queue: ObjectList<KubeObject>[] = [];
  waiter: ((list: ObjectList<KubeObject>) => void) | undefined;
  push(list: ObjectList<KubeObject>): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) waiter(list);
    else this.queue.push(list);
  }
  shift(): ObjectList<KubeObject> | undefined {
    return this.queue.shift();
  }
}

type Step = { event: WatchEvent<KubeObject> } | { error: unknown };

/** Lists answer from `lists` (waiting for a push when empty); each watch yields what `feed` pushes, until aborted. */
class FakeListerWatcher implements ListerWatcher<KubeObject> {
  readonly lists = new ListQueue();
  readonly listCalls: ListOptions[] = [];
  readonly watchCalls: WatchOptions[] = [];
  private steps: Step[] = [];
  private wake: (() => void) | undefined;

  async list(opts: ListOptions, signal: AbortSignal): Promise<ObjectList<KubeObject>> {
    this.listCalls.push(opts);
    const next = this.lists.shift();
    if (next) return next;
    return new Promise((resolve, reject) => {
      this.lists.waiter = resolve;
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }

  async *watch(opts: WatchOptions, signal: AbortSignal): AsyncGenerator<WatchEvent<KubeObject>> {
    this.watchCalls.push(opts);
    const onAbort = () => this.wake?.();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        const step = this.steps.shift();
        if (!step) {
          await new Promise<void>((resolve) => (this.wake = resolve));
          continue;
        }
        if ('error' in step) throw step.error;
        yield step.event;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  feed(...steps: Step[]): void {
    this.steps.push(...steps);
    this.wake?.();
  }
}

const pod = (name: string, rv: string, extra: Record<string, string> = {}): KubeObject => ({
  metadata: { namespace: 'ns', name, resourceVersion: rv, labels: extra },
});
const list = (rv: string, ...items: KubeObject[]): ObjectList<KubeObject> => ({ metadata: { resourceVersion: rv }, items });
const ev = (type: WatchEvent<KubeObject>['type'], object: KubeObject): Step => ({ event: { type, object } });

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

function recorder(name = ''): EventHandler<KubeObject> & { log: string[] } {
  const log: string[] = [];
  const id = (o: KubeObject) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`;
  return {
    log,
    onAdd: (o, initial) => log.push(`${name}add ${id(o)}${initial ? ' initial' : ''}`),
    onUpdate: (a, b) => log.push(`${name}update ${id(a)}->${id(b)}`),
    onDelete: (o, unknown) => log.push(`${name}delete ${id(o)}${unknown ? ' unknown' : ''}`),
  };
}

function start(lw: FakeListerWatcher, resyncPeriodMs = 0) {
  const clock = new ManualClock(1_000_000);
  const logs: string[] = [];
  const informer = new SharedInformer<KubeObject>(lw, { clock, resyncPeriodMs, log: (m) => logs.push(m), name: 'pods' });
  const controller = new AbortController();
  return { informer, clock, controller, logs, run: () => informer.run(controller.signal) };
}

test('the first list is delivered as initial adds; hasSynced and whenSynced follow it', async () => {
  const lw = new FakeListerWatcher();
  const s = start(lw);
  const h = recorder();
  s.informer.addEventHandler(h);
  let synced = false;
  void s.informer.whenSynced().then(() => (synced = true));
  const done = s.run();
  await settle();
  assert.equal(s.informer.hasSynced(), false);
  assert.equal(synced, false);
  lw.lists.push(list('10', pod('a', '1'), pod('b', '2')));
  await settle();
  assert.equal(s.informer.hasSynced(), true);
  assert.equal(synced, true);
  assert.deepEqual(h.log, ['add a@1 initial', 'add b@2 initial']);
  assert.deepEqual(s.informer.store.keys().sort(), ['ns/a', 'ns/b']);
  await s.informer.whenSynced();
  await assert.rejects(s.informer.run(s.controller.signal), /already started/);
  s.controller.abort();
  await done;
});

test('whenSynced resolves when its signal aborts before a sync', async () => {
  const s = start(new FakeListerWatcher());
  const controller = new AbortController();
  const waiting = s.informer.whenSynced(controller.signal);
  controller.abort();
  await waiting;
  assert.equal(s.informer.hasSynced(), false);
});

test('watch events become adds, updates and deletes (finalStateUnknown false)', async () => {
  const lw = new FakeListerWatcher();
  lw.lists.push(list('10', pod('a', '1')));
  const s = start(lw);
  const h = recorder();
  s.informer.addEventHandler(h);
  const done = s.run();
  await settle();
  lw.feed(ev('ADDED', pod('b', '11')), ev('MODIFIED', pod('a', '12')), ev('DELETED', pod('b', '13')), ev('MODIFIED', pod('c', '14')));
  await settle();
  assert.deepEqual(h.log, ['add a@1 initial', 'add b@11', 'update a@1->a@12', 'delete b@13', 'add c@14']);
  assert.deepEqual(s.informer.store.keys().sort(), ['ns/a', 'ns/c']);
  s.controller.abort();
  await done;
});

test('a relist adds new items, updates only changed resourceVersions and deletes vanished ones as finalStateUnknown', async () => {
  const lw = new FakeListerWatcher();
  lw.lists.push(list('10', pod('same', '1'), pod('changed', '2'), pod('gone', '3')));
  const s = start(lw);
  const h = recorder();
  s.informer.addEventHandler(h);
  const done = s.run();
  await settle();
  h.log.length = 0;
  lw.lists.push(list('50', pod('same', '1'), pod('changed', '40'), pod('new', '45')));
  lw.feed({ error: ApiError.resourceExpired('too old resource version') });
  await settle();
  s.clock.advance(800);
  await settle();
  assert.deepEqual(lw.listCalls, [{ resourceVersion: '0' }, { resourceVersion: '' }]);
  assert.deepEqual(h.log.sort(), ['add new@45', 'delete gone@3 unknown', 'update changed@2->changed@40'].sort());
  assert.deepEqual(s.informer.store.keys().sort(), ['ns/changed', 'ns/new', 'ns/same']);
  assert.equal(s.informer.store.get('ns/changed')?.metadata?.resourceVersion, '40');
  assert.deepEqual(
    s.informer.store.byIndex('namespace', 'ns').map((o) => o.metadata?.name).sort(),
    ['changed', 'new', 'same'],
  );
  s.controller.abort();
  await done;
});

test('a handler added after the sync receives the cache as initial adds; one added before receives nothing at once', async () => {
  const lw = new FakeListerWatcher();
  const s = start(lw);
  const early = recorder();
  s.informer.addEventHandler(early);
  assert.deepEqual(early.log, []);
  lw.lists.push(list('10', pod('a', '1'), pod('b', '2')));
  const done = s.run();
  await settle();
  const late = recorder();
  const remove = s.informer.addEventHandler(late);
  assert.deepEqual(late.log.sort(), ['add a@1 initial', 'add b@2 initial']);
  lw.feed(ev('ADDED', pod('c', '3')));
  await settle();
  assert.deepEqual(late.log.at(-1), 'add c@3');
  remove();
  lw.feed(ev('ADDED', pod('d', '4')));
  await settle();
  assert.equal(late.log.length, 3, 'a removed handler hears nothing more');
  assert.equal(early.log.at(-1), 'add d@4');
  s.controller.abort();
  await done;
});

test('a throwing handler does not keep the others from their events, nor the cache from changing', async () => {
  const lw = new FakeListerWatcher();
  lw.lists.push(list('10', pod('a', '1')));
  const s = start(lw);
  const boom = () => {
    throw new Error('handler bug');
  };
  s.informer.addEventHandler({ onAdd: boom, onUpdate: boom, onDelete: boom });
  const h = recorder();
  s.informer.addEventHandler(h);
  const done = s.run();
  await settle();
  lw.feed(ev('ADDED', pod('b', '2')), ev('MODIFIED', pod('b', '3')), ev('DELETED', pod('a', '4')));
  await settle();
  assert.deepEqual(h.log, ['add a@1 initial', 'add b@2', 'update b@2->b@3', 'delete a@4']);
  assert.deepEqual(s.informer.store.keys(), ['ns/b']);
  assert.ok(s.logs.some((l) => l.includes('handler bug')));

  // A handler added later that throws on one cached object still receives the others, and its caller goes on.
  lw.feed(ev('ADDED', pod('c', '5')));
  await settle();
  const got: string[] = [];
  assert.doesNotThrow(() =>
    s.informer.addEventHandler({
      onAdd: (o) => {
        if (o.metadata?.name === 'b') throw new Error('late handler bug');
        got.push(o.metadata?.name ?? '');
      },
    }),
  );
  assert.deepEqual(got, ['c']);
  s.controller.abort();
  await done;
});

test('the resync period delivers onUpdate(obj, obj) for every cached object, and stops with the informer', async () => {
  const lw = new FakeListerWatcher();
  const s = start(lw, 30_000);
  const h = recorder();
  s.informer.addEventHandler(h);
  const done = s.run();
  await settle();
  s.clock.advance(30_000);
  assert.deepEqual(h.log, [], 'nothing to resync before the first list');
  lw.lists.push(list('10', pod('a', '1'), pod('b', '2')));
  await settle();
  assert.equal(h.log.length, 2);
  h.log.length = 0;
  s.clock.advance(29_999);
  assert.deepEqual(h.log, []);
  s.clock.advance(1);
  assert.deepEqual(h.log.sort(), ['update a@1->a@1', 'update b@2->b@2']);
  h.log.length = 0;
  s.clock.advance(30_000);
  assert.equal(h.log.length, 2);
  s.controller.abort();
  await done;
  assert.equal(s.clock.pending(), 0);
  s.clock.advance(60_000);
  assert.equal(h.log.length, 2);
});
