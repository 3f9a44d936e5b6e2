import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../api/index.js';
import { ManualClock } from '../lib/index.js';
import { EventRecorder, formatMessage, type EventRecorderOptions, type EventSink } from './event-recorder.js';
import { nanoHex } from './event-correlator.js';

const EVENTS = { group: '', resource: 'events' };

interface Call {
  op: 'create' | 'patch';
  namespace: string;
  name: string;
  body: object;
}

/** An in-memory Events store; `failures` are thrown by the next calls, `gate` holds every call until opened. */
class FakeEventSink implements EventSink {
  readonly events = new Map<string, CoreEvent>();
  readonly calls: Call[] = [];
  failures: unknown[] = [];
  gate: Promise<void> | undefined;
  private rv = 0;

  async create(namespace: string, event: CoreEvent): Promise<CoreEvent> {
    const name = event.metadata?.name ?? '';
    await this.enter({ op: 'create', namespace, name, body: structuredClone(event) });
    const key = `${namespace}/${name}`;
    if (this.events.has(key)) throw ApiError.alreadyExists(EVENTS, name);
    const stored = { ...structuredClone(event), metadata: { ...event.metadata, resourceVersion: String(++this.rv) } };
    this.events.set(key, stored);
    return structuredClone(stored);
  }

  async patch(namespace: string, name: string, patch: object): Promise<CoreEvent> {
    await this.enter({ op: 'patch', namespace, name, body: structuredClone(patch) });
    const key = `${namespace}/${name}`;
    const current = this.events.get(key);
    if (!current) throw ApiError.notFound(EVENTS, name);
    const stored = { ...current, ...patch, metadata: { ...current.metadata, resourceVersion: String(++this.rv) } };
    this.events.set(key, stored);
    return structuredClone(stored);
  }

  private async enter(call: Call): Promise<void> {
    this.calls.push(call);
    if (this.gate) await this.gate;
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
  }
}

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0, 250);
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'shop', uid: 'uid-1', resourceVersion: '42', labels: { a: 'b' } },
};

function setup(options: Partial<EventRecorderOptions> = {}) {
  const clock = new ManualClock(T0);
  const sink = new FakeEventSink();
  const errors: unknown[] = [];
  const recorder = new EventRecorder({
    sink,
    clock,
    component: 'replicaset-controller',
    host: 'node-1',
    random: () => 0.5,
    onError: (err) => errors.push(err),
    ...options,
  });
  return { clock, sink, recorder, errors };
}

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

test('an event is created with the fields client-go sets', async () => {
  const { sink, recorder, errors } = setup();
  recorder.event(pod, 'Normal', 'Scheduled', 'assigned shop/web-1 to node-1');
  await recorder.flush();
  assert.deepEqual(errors, []);
  assert.equal(sink.calls.length, 1);
  assert.deepEqual(sink.calls[0], {
    op: 'create',
    namespace: 'shop',
    name: `web-1.${nanoHex(T0)}`,
    body: {
      metadata: { name: `web-1.${nanoHex(T0)}`, namespace: 'shop' },
      involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'uid-1', apiVersion: 'v1', resourceVersion: '42' },
      reason: 'Scheduled',
      message: 'assigned shop/web-1 to node-1',
      source: { component: 'replicaset-controller', host: 'node-1' },
      firstTimestamp: '2024-01-01T12:00:00Z',
      lastTimestamp: '2024-01-01T12:00:00Z',
      count: 1,
      type: 'Normal',
      eventTime: null,
      reportingComponent: 'replicaset-controller',
      reportingInstance: 'node-1',
    },
  });
  assert.match(nanoHex(T0), /^[0-9a-f]{16}$/);
});

test('events about cluster-scoped objects go to the default namespace', async () => {
  const { sink, recorder } = setup({ host: undefined });
  recorder.event({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'n' } }, 'Warning', 'NotReady', 'down');
  await recorder.flush();
  const body = sink.calls[0]?.body as CoreEvent;
  assert.equal(sink.calls[0]?.namespace, 'default');
  assert.equal(body.metadata?.namespace, 'default');
  assert.deepEqual(body.involvedObject, { kind: 'Node', name: 'node-1', uid: 'n', apiVersion: 'v1' });
  assert.deepEqual(body.source, { component: 'replicaset-controller' });
  assert.equal(body.reportingInstance, '');
});

test('identical events update one Event by strategic merge patch: count 2, 3, …', async () => {
  const { clock, sink, recorder } = setup();
  recorder.event(pod, 'Warning', 'BackOff', 'restarting');
  clock.advance(10_000);
  recorder.event(pod, 'Warning', 'BackOff', 'restarting');
  clock.advance(10_000);
  recorder.event(pod, 'Warning', 'BackOff', 'restarting');
  await recorder.flush();
  const name = `web-1.${nanoHex(T0)}`;
  assert.deepEqual(
    sink.calls.map((c) => [c.op, c.name, c.op === 'patch' ? c.body : undefined]),
    [
      ['create', name, undefined],
      ['patch', name, { count: 2, lastTimestamp: '2024-01-01T12:00:10Z', message: 'restarting' }],
      ['patch', name, { count: 3, lastTimestamp: '2024-01-01T12:00:20Z', message: 'restarting' }],
    ],
  );
  const stored = sink.events.get(`shop/${name}`);
  assert.equal(stored?.count, 3);
  assert.equal(stored?.firstTimestamp, '2024-01-01T12:00:00Z');
  assert.equal(stored?.lastTimestamp, '2024-01-01T12:00:20Z');
  assert.equal(sink.events.size, 1);
});

test('ten similar events with different messages produce one combined event', async () => {
  const { clock, sink, recorder } = setup();
  for (let i = 1; i <= 11; i++) {
    recorder.eventf(pod, 'Warning', 'FailedCreate', 'attempt %d failed', i);
    await recorder.flush();
    clock.advance(1000);
  }
  assert.equal(sink.calls.length, 11);
  assert.deepEqual(sink.calls.slice(0, 10).map((c) => c.op), Array(10).fill('create'));
  const combined = sink.calls[9]?.body as CoreEvent;
  assert.equal(combined.message, '(combined from similar events): attempt 10 failed');
  assert.equal(combined.count, 1);
  assert.equal(combined.metadata?.name, `web-1.${nanoHex(T0 + 9000)}`);
  assert.deepEqual(sink.calls[10], {
    op: 'patch',
    namespace: 'shop',
    name: combined.metadata?.name,
    body: { count: 2, lastTimestamp: '2024-01-01T12:00:10Z', message: '(combined from similar events): attempt 11 failed' },
  });
});

test('the spam filter drops events beyond 25 per object until tokens refill', async () => {
  const { clock, sink, recorder } = setup();
  for (let i = 0; i < 30; i++) recorder.event(pod, 'Normal', 'Pulled', 'pulled');
  await recorder.flush();
  assert.equal(sink.calls.length, 25);
  recorder.event({ ...pod, metadata: { ...pod.metadata, name: 'web-2', uid: 'uid-2' } }, 'Normal', 'Pulled', 'pulled');
  await recorder.flush();
  assert.equal(sink.calls.length, 26, 'another object has its own allowance');
  clock.advance(300_000);
  recorder.event(pod, 'Normal', 'Pulled', 'pulled');
  recorder.event(pod, 'Normal', 'Pulled', 'pulled');
  await recorder.flush();
  assert.equal(sink.calls.length, 27, 'one token every five minutes');
});

test('a patch answered 404 creates the Event anew, without resourceVersion', async () => {
  const { sink, recorder } = setup();
  recorder.event(pod, 'Warning', 'BackOff', 'restarting');
  await recorder.flush();
  sink.events.clear();
  recorder.event(pod, 'Warning', 'BackOff', 'restarting');
  await recorder.flush();
  assert.deepEqual(sink.calls.map((c) => c.op), ['create', 'patch', 'create']);
  const recreated = sink.calls[2]?.body as CoreEvent;
  assert.equal(recreated.count, 2);
  assert.equal(recreated.metadata?.name, `web-1.${nanoHex(T0)}`);
  assert.equal(recreated.metadata?.resourceVersion, undefined);
  recorder.event(pod, 'Warning', 'BackOff', 'restarting');
  await recorder.flush();
  assert.equal(sink.calls[3]?.op, 'patch');
  assert.equal(sink.events.get(`shop/web-1.${nanoHex(T0)}`)?.count, 3);
});

test('transport errors are retried on the clock; the first wait is randomised', async () => {
  const { clock, sink, recorder, errors } = setup();
  sink.failures = [new Error('ECONNREFUSED'), new Error('ECONNREFUSED')];
  recorder.event(pod, 'Normal', 'Created', 'created');
  let flushed = false;
  const flushing = recorder.flush().then(() => (flushed = true));
  await settle();
  assert.equal(sink.calls.length, 1);
  clock.advance(4999);
  await settle();
  assert.equal(sink.calls.length, 1);
  clock.advance(1);
  await settle();
  assert.equal(sink.calls.length, 2, 'first retry after 10 s × random()');
  clock.advance(10_000);
  await flushing;
  assert.equal(flushed, true);
  assert.equal(sink.calls.length, 3);
  assert.equal(sink.events.size, 1);
  assert.equal(errors.length, 2);
});

test('errors from the server are not retried', async () => {
  const { sink, recorder, errors } = setup();
  sink.failures = [ApiError.forbidden(EVENTS, '', 'no'), ApiError.alreadyExists(EVENTS, 'x')];
  recorder.event(pod, 'Normal', 'A', 'a');
  recorder.event(pod, 'Normal', 'B', 'b');
  recorder.event(pod, 'Normal', 'C', 'c');
  await recorder.flush();
  assert.equal(sink.calls.length, 3);
  assert.equal(sink.events.size, 1);
  assert.equal(errors.length, 1, 'AlreadyExists is expected, not reported');
});

test('recording never throws or blocks; beyond the queue bound events are dropped', async () => {
  const { sink, recorder, errors } = setup({ maxQueuedEvents: 3 });
  let open = () => {};
  sink.gate = new Promise((resolve) => (open = resolve));
  for (let i = 0; i < 5; i++) recorder.event(pod, 'Normal', `R${i}`, 'm');
  assert.equal(sink.calls.length, 1, 'the first event is being written, three wait');
  assert.equal(errors.length, 1);
  assert.doesNotThrow(() => recorder.event({ metadata: { name: 'x' } }, 'Normal', 'R', 'no kind'));
  assert.doesNotThrow(() => recorder.event(pod, 'Bogus' as 'Normal', 'R', 'bad type'));
  assert.equal(errors.length, 3);
  open();
  sink.gate = undefined;
  await recorder.flush();
  assert.deepEqual(sink.calls.map((c) => (c.body as CoreEvent).reason), ['R0', 'R1', 'R2', 'R3']);
});

test('flush resolves at once when idle; shutDown drops queued events and stops retrying', async () => {
  const { clock, sink, recorder } = setup();
  await recorder.flush();
  sink.failures = [new Error('down')];
  recorder.event(pod, 'Normal', 'A', 'a');
  recorder.event(pod, 'Normal', 'B', 'b');
  await settle();
  assert.equal(clock.pending(), 1, 'waiting to retry');
  recorder.shutDown();
  await recorder.flush();
  assert.equal(clock.pending(), 0);
  recorder.event(pod, 'Normal', 'C', 'c');
  await recorder.flush();
  assert.equal(sink.calls.length, 1);
});

test('formatMessage follows Go verbs', () => {
  assert.equal(formatMessage('%s has %d of %v (%q) 100%%', ['rs', 3, { a: 1 }, 'x"y']), 'rs has 3 of {"a":1} ("x\\"y") 100%');
  assert.equal(formatMessage('%s %s', ['a']), 'a %!s(MISSING)');
});

test('two different events for one object in the same millisecond get distinct names, both written', async () => {
  const { sink, recorder, errors } = setup();
  recorder.event(pod, 'Normal', 'SuccessfulCreate', 'Created pod: a');
  recorder.event(pod, 'Normal', 'Resumed', 'Job resumed');
  await recorder.flush();
  const names = [...sink.events.values()].map((e) => e.metadata?.name);
  assert.equal(names.length, 2);
  assert.equal(names[0], `web-1.${nanoHex(T0)}`);
  assert.equal(names[1], `web-1.${(BigInt(`0x${nanoHex(T0)}`) + 1n).toString(16)}`);
  assert.deepEqual(errors, []);
});

test('an event recorded while an earlier one is being written is correlated after that write: counts never go back', async () => {
  const { sink, recorder } = setup();
  let openCreate = () => {};
  sink.gate = new Promise((resolve) => (openCreate = resolve));
  recorder.event(pod, 'Warning', 'BackOff', 'restarting');
  recorder.event(pod, 'Warning', 'BackOff', 'restarting');
  assert.equal(sink.calls.length, 1, 'the first create is held');
  let openPatch = () => {};
  sink.gate = new Promise((resolve) => (openPatch = resolve));
  openCreate();
  for (let i = 0; i < 100 && sink.calls.length < 2; i++) await settle();
  assert.deepEqual(
    sink.calls.map((c) => c.op),
    ['create', 'patch'],
    'the create was answered, the second occurrence is being written',
  );
  recorder.event(pod, 'Warning', 'BackOff', 'restarting');
  recorder.event(pod, 'Warning', 'BackOff', 'restarting');
  sink.gate = undefined;
  openPatch();
  await recorder.flush();
  assert.deepEqual(
    sink.calls.map((c) => (c.op === 'patch' ? (c.body as { count?: number }).count : c.op)),
    ['create', 2, 3, 4],
  );
  assert.equal([...sink.events.values()][0]?.count, 4);
});

test('ten similar events in one millisecond: nine of their own and the combined one, each under its own name', async () => {
  const { sink, recorder, errors } = setup();
  for (let i = 1; i <= 12; i++) recorder.event(pod, 'Normal', 'SuccessfulCreate', `Created pod: web-${i}`);
  await recorder.flush();
  assert.deepEqual(errors, []);
  assert.deepEqual(
    sink.calls.map((c) => c.op),
    [...Array<string>(10).fill('create'), 'patch', 'patch'],
  );
  const names = sink.calls.slice(0, 10).map((c) => c.name);
  assert.equal(new Set(names).size, 10, 'no create is refused as AlreadyExists');
  assert.equal(sink.events.size, 10);
  const combined = [...sink.events.values()].filter((e) => e.message?.startsWith('(combined from similar events)'));
  assert.equal(combined.length, 1);
  assert.equal(combined[0]?.count, 3);
  assert.equal([...sink.events.values()].filter((e) => e.count === 1).length, 9, 'the nine plain events are untouched');
});
