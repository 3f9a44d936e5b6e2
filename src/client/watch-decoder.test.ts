import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/index.js';
import type { KubeObject } from './rest-client.js';
import { decodeWatchEvents, type WatchEvent } from './watch-decoder.js';

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
}

async function collect(body: AsyncIterable<Buffer>): Promise<WatchEvent<KubeObject>[]> {
  const out: WatchEvent<KubeObject>[] = [];
  for await (const e of decodeWatchEvents<KubeObject>(body)) out.push(e);
  return out;
}

function line(type: string, object: unknown): string {
  return JSON.stringify({ type, object }) + '\n';
}

const pod = (name: string, rv: string): KubeObject => ({ kind: 'Pod', metadata: { name, namespace: 'default', resourceVersion: rv } });

test('decodes several events in one chunk, in order', async () => {
  const events = await collect(chunks(line('ADDED', pod('a', '1')) + line('MODIFIED', pod('a', '2')) + line('DELETED', pod('a', '3'))));
  assert.deepEqual(
    events.map((e) => [e.type, e.object.metadata?.resourceVersion]),
    [
      ['ADDED', '1'],
      ['MODIFIED', '2'],
      ['DELETED', '3'],
    ],
  );
});

test('an event split across chunk boundaries is joined', async () => {
  const text = line('ADDED', pod('split', '7')) + line('BOOKMARK', { kind: 'Pod', metadata: { resourceVersion: '9' } });
  for (let cut = 1; cut < text.length; cut += 5) {
    const events = await collect(chunks(text.slice(0, cut), text.slice(cut)));
    assert.deepEqual(
      events.map((e) => [e.type, e.object.metadata?.resourceVersion]),
      [
        ['ADDED', '7'],
        ['BOOKMARK', '9'],
      ],
      `cut at ${cut}`,
    );
  }
});

test('a multi-byte UTF-8 character split across chunks survives', async () => {
  const name = 'ünïcødé-€-😀';
  const bytes = Buffer.from(line('ADDED', { metadata: { name, annotations: { a: '日本語' } } }), 'utf8');
  const euro = bytes.indexOf(Buffer.from('€', 'utf8'));
  const emoji = bytes.indexOf(Buffer.from('😀', 'utf8'));
  // Cut inside the 3-byte € and inside the 4-byte emoji, and feed the rest one byte at a time.
  const parts = [bytes.subarray(0, euro + 1), bytes.subarray(euro + 1, emoji + 2), ...[...bytes.subarray(emoji + 2)].map((b) => Buffer.from([b]))];
  const events = await collect(chunks(...parts));
  assert.equal(events.length, 1);
  assert.equal(events[0]?.object.metadata?.name, name);
  assert.equal(events[0]?.object.metadata?.annotations?.a, '日本語');
});

test('blank lines are skipped and a last line without a newline is decoded', async () => {
  const events = await collect(chunks('\n', line('ADDED', pod('a', '1')), '\r\n\n', JSON.stringify({ type: 'DELETED', object: pod('a', '2') })));
  assert.deepEqual(
    events.map((e) => e.type),
    ['ADDED', 'DELETED'],
  );
});

test('a body that ends cleanly ends the iteration', async () => {
  assert.deepEqual(await collect(chunks()), []);
  const events = await collect(chunks(line('ADDED', pod('a', '1'))));
  assert.equal(events.length, 1);
});

test('an ERROR event rejects with an ApiError carrying the Status, after the events before it', async () => {
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (5)', reason: 'Expired', code: 410 };
  const seen: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const e of decodeWatchEvents<KubeObject>(chunks(line('ADDED', pod('a', '1')), line('ERROR', status), line('ADDED', pod('b', '2'))))) {
        seen.push(e.object.metadata?.name ?? '');
      }
    })(),
    (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.code, 410);
      assert.equal(err.status.reason, 'Expired');
      assert.equal(err.message, 'too old resource version: 1 (5)');
      return true;
    },
  );
  assert.deepEqual(seen, ['a']);
});

test('an unknown event type is an error', async () => {
  await assert.rejects(collect(chunks(line('CHANGED', pod('a', '1')))), /unknown event type "CHANGED"/);
});

test('a garbage line is an error', async () => {
  await assert.rejects(collect(chunks(line('ADDED', pod('a', '1')), 'this is not json\n')), /undecodable event/);
});

test('an event without an object is an error', async () => {
  await assert.rejects(collect(chunks('{"type":"ADDED"}\n')), /without an object/);
});

test('a body that ends inside a line is an error', async () => {
  const text = line('ADDED', pod('a', '1'));
  await assert.rejects(collect(chunks(text.slice(0, 20))), /undecodable event/);
});

test('events a transport decoded already are passed on as they are, in order with the lines around them', async () => {
  const shared = Object.freeze(pod('b', '2'));
  async function* mixed(): AsyncGenerator<Buffer | { type: 'MODIFIED'; object: unknown }> {
    yield Buffer.from(line('ADDED', pod('a', '1')));
    yield { type: 'MODIFIED', object: shared };
    yield Buffer.from(line('DELETED', pod('a', '3')));
  }
  const out: WatchEvent<KubeObject>[] = [];
  for await (const e of decodeWatchEvents<KubeObject>(mixed())) out.push(e);
  assert.deepEqual(
    out.map((e) => [e.type, e.object.metadata?.name, e.object.metadata?.resourceVersion]),
    [
      ['ADDED', 'a', '1'],
      ['MODIFIED', 'b', '2'],
      ['DELETED', 'a', '3'],
    ],
  );
  assert.equal(out[1]!.object, shared, 'the very object, not a copy');
});

test('a decoded event in the middle of a line is an error', async () => {
  async function* broken(): AsyncGenerator<Buffer | { type: 'ADDED'; object: unknown }> {
    yield Buffer.from('{"type":"ADDED",');
    yield { type: 'ADDED', object: pod('a', '1') };
  }
  await assert.rejects(collect(broken() as AsyncIterable<Buffer>), /inside a line/);
});
