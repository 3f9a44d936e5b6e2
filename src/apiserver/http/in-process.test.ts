import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exchangeInProcess } from './in-process.js';
import { readBody } from './read-body.js';
import type { ServerRequest, ServerResponse } from './http-types.js';

async function text(body: AsyncIterable<Buffer | object>): Promise<string> {
  let out = '';
  for await (const c of body) {
    if (!Buffer.isBuffer(c)) throw new Error('expected bytes, got a decoded watch event');
    out += c.toString();
  }
  return out;
}

test('a request reaches the handler with its method, URL, lower-case headers and body; the answer comes back whole', async () => {
  const res = await exchangeInProcess(
    async (req: ServerRequest, rs: ServerResponse) => {
      const body = (await readBody(req)).toString();
      rs.setHeader('X-Seen', `${req.method} ${req.url} ${req.headers['content-type']} ${req.headers['content-length']}`);
      rs.writeHead(201, { 'Content-Type': 'application/json' });
      rs.end(JSON.stringify({ echo: body }));
    },
    { method: 'POST', url: '/api/v1/pods?x=1', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' },
  );
  assert.equal(res.status, 201);
  assert.equal(res.headers['x-seen'], 'POST /api/v1/pods?x=1 application/json 7');
  assert.equal(res.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(await text(res.body)), { echo: '{"a":1}' });
});

test('a streamed answer yields chunks as they are written, and aborting ends it and closes the response', async () => {
  let closed = false;
  let write: ((s: string) => void) | undefined;
  const ac = new AbortController();
  const res = await exchangeInProcess(
    async (_req, rs) => {
      rs.once('close', () => (closed = true));
      rs.writeHead(200, { 'Content-Type': 'application/json' });
      rs.flushHeaders?.();
      write = (s) => rs.write(s);
    },
    { method: 'GET', url: '/watch', signal: ac.signal },
  );
  assert.equal(res.status, 200);
  const it = res.body[Symbol.asyncIterator]();
  write!('one\n');
  assert.equal((await it.next()).value?.toString(), 'one\n');
  write!('two\n');
  write!('three\n');
  assert.equal((await it.next()).value?.toString(), 'two\nthree\n');
  const pending = it.next();
  ac.abort();
  assert.equal((await pending).done, true);
  assert.ok(closed, 'the handler saw the client go away');
});

test('decoded watch events come through as they were written, between the runs of bytes around them', async () => {
  const ac = new AbortController();
  const object = { kind: 'Pod' };
  const res = await exchangeInProcess(
    async (_req, rs) => {
      rs.writeHead(200, { 'Content-Type': 'application/json' });
      rs.write('a\n');
      rs.write('b\n');
      assert.ok(rs.writeWatchEvent?.({ type: 'ADDED', object }));
      rs.write('c\n');
      rs.end();
    },
    { method: 'GET', url: '/watch', signal: ac.signal },
  );
  const got: unknown[] = [];
  for await (const c of res.body) got.push(Buffer.isBuffer(c) ? c.toString() : c);
  assert.deepEqual(got, ['a\nb\n', { type: 'ADDED', object }, 'c\n']);
  assert.equal((got[1] as { object: unknown }).object, object);
});

test('an error answer written by the handler is a response, not a rejection', async () => {
  const res = await exchangeInProcess(
    async (_req, rs) => {
      rs.writeHead(404, { 'Content-Type': 'application/json' });
      rs.end('{"kind":"Status","code":404}');
    },
    { method: 'GET', url: '/api/v1/namespaces/default/pods/nope' },
  );
  assert.equal(res.status, 404);
  assert.match(await text(res.body), /"code":404/);
});
