import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { constants, createSecureServer, type Http2SecureServer, type ServerHttp2Session, type ServerHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';
import * as x509 from '@peculiar/x509';
import { Http2Transport, type Http2TransportOptions } from './http2-transport.js';

/** A self-signed ECDSA P-256 serving certificate for 127.0.0.1 and localhost. */
async function selfSigned(): Promise<{ certPem: string; keyPem: string }> {
  const crypto = globalThis.crypto;
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await crypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomBytes(8).toString('hex').replace(/^[89a-f]/, '1'),
      name: 'CN=skiff-test',
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 86_400_000),
      keys,
      signingAlgorithm: alg,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
        new x509.SubjectAlternativeNameExtension([
          { type: 'ip', value: '127.0.0.1' },
          { type: 'dns', value: 'localhost' },
        ]),
      ],
    },
    crypto,
  );
  const der = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem'), keyPem: x509.PemConverter.encode(der, 'PRIVATE KEY') };
}

type Route = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, body: Buffer) => void;

let server: Http2SecureServer;
let origin = '';
let ca = '';
const sessions = new Set<ServerHttp2Session>();
let sessionCount = 0;
let connections = 0;
/** What the next requests on a path meet; the default echoes the request. */
const routes = new Map<string, Route>();

const echo: Route = (stream, headers, body) => {
  stream.respond({ ':status': 200, 'content-type': 'application/json', 'x-echo': 'yes' });
  stream.end(JSON.stringify({ method: headers[':method'], path: headers[':path'], headers, body: body.toString('utf8') }));
};

before(async () => {
  const { certPem, keyPem } = await selfSigned();
  ca = certPem;
  server = createSecureServer({ cert: certPem, key: keyPem });
  server.on('connection', () => connections++);
  server.on('session', (session: ServerHttp2Session) => {
    sessionCount++;
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const path = String(headers[':path']).split('?')[0] ?? '';
      const route = routes.get(path) ?? echo;
      route(stream, headers, Buffer.concat(chunks));
    });
    stream.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  for (const s of sessions) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function transport(extra: Partial<Http2TransportOptions> = {}): Http2Transport {
  return new Http2Transport({ server: origin, ca, ...extra });
}

test('only https servers', () => {
  assert.throws(() => new Http2Transport({ server: 'http://127.0.0.1:1' }), /only https/);
});

test('a request with a body: method, path prefix, headers, bearer token, and the response status, headers and body', async () => {
  const t = transport({ server: `${origin}/prefix/`, token: 'sekret', userAgent: 'skiff-test/1' });
  try {
    const res = await t.request({ method: 'POST', url: '/api/v1/namespaces/default/pods?dryRun=All', headers: { 'content-type': 'application/json' }, body: '{"kind":"Pod"}' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-echo'], 'yes');
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.headers[':status'], undefined, 'pseudo-headers are left out');
    const seen = JSON.parse(res.body.toString('utf8')) as { method: string; path: string; headers: Record<string, string>; body: string };
    assert.equal(seen.method, 'POST');
    assert.equal(seen.path, '/prefix/api/v1/namespaces/default/pods?dryRun=All');
    assert.equal(seen.body, '{"kind":"Pod"}');
    assert.equal(seen.headers.authorization, 'Bearer sekret');
    assert.equal(seen.headers['user-agent'], 'skiff-test/1');
    assert.equal(seen.headers['content-type'], 'application/json');

    const bin = await t.request({ method: 'PUT', url: '/bin', body: new Uint8Array([104, 105]) });
    assert.equal((JSON.parse(bin.body.toString('utf8')) as { body: string }).body, 'hi');

    const get = await t.request({ method: 'GET', url: '/x' });
    const seenGet = JSON.parse(get.body.toString('utf8')) as { body: string; headers: Record<string, string> };
    assert.equal(seenGet.body, '');
    assert.equal(seenGet.headers['user-agent'], 'skiff-test/1');
  } finally {
    t.close();
  }
});

test('an error status is a response, not a rejection', async () => {
  routes.set('/missing', (stream) => {
    stream.respond({ ':status': 404, 'content-type': 'text/plain' });
    stream.end('404 page not found');
  });
  const t = transport();
  try {
    const res = await t.request({ method: 'GET', url: '/missing' });
    assert.equal(res.status, 404);
    assert.equal(res.body.toString(), '404 page not found');
  } finally {
    routes.delete('/missing');
    t.close();
  }
});

test('an untrusted server is refused with the TLS error, without retrying', async () => {
  const t = new Http2Transport({ server: origin });
  const before = connections;
  try {
    await assert.rejects(t.request({ method: 'GET', url: '/x' }), (err: { code?: string }) => /SELF_SIGNED|UNABLE_TO_VERIFY/.test(err.code ?? ''));
    assert.equal(connections, before + 1, 'one handshake');
  } finally {
    t.close();
  }
  const insecure = new Http2Transport({ server: origin, insecureSkipTLSVerify: true });
  try {
    assert.equal((await insecure.request({ method: 'GET', url: '/x' })).status, 200);
  } finally {
    insecure.close();
  }
});

/** A route that answers with headers at once, then writes what the test pushes. */
function streamingRoute(): { route: Route; write: (s: string) => void; end: () => void; closed: Promise<void> } {
  let target: ServerHttp2Stream | undefined;
  const pending: string[] = [];
  let ended = false;
  let onClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (onClosed = resolve));
  return {
    route: (stream) => {
      target = stream;
      stream.on('close', () => onClosed());
      stream.respond({ ':status': 200, 'content-type': 'application/json' });
      for (const p of pending.splice(0)) stream.write(p);
      if (ended) stream.end();
    },
    write: (s) => (target ? target.write(s) : pending.push(s)),
    end: () => (target ? target.end() : (ended = true)),
    closed,
  };
}

test('a stream body arrives in pieces as the server writes them and ends with the response', async () => {
  const s = streamingRoute();
  routes.set('/watch', s.route);
  const t = transport();
  try {
    const res = await t.stream({ method: 'GET', url: '/watch?watch=true' });
    assert.equal(res.status, 200);
    const it = res.body[Symbol.asyncIterator]();
    s.write('{"type":"ADDED"}\n');
    assert.equal(String((await it.next()).value), '{"type":"ADDED"}\n');
    s.write('{"type":"MODIFIED"}\n');
    assert.equal(String((await it.next()).value), '{"type":"MODIFIED"}\n');
    s.end();
    assert.equal((await it.next()).done, true);
  } finally {
    routes.delete('/watch');
    t.close();
  }
});

test('aborting a stream ends its iteration and closes the stream at the server', async () => {
  const s = streamingRoute();
  routes.set('/watch', s.route);
  const t = transport();
  try {
    const controller = new AbortController();
    const res = await t.stream({ method: 'GET', url: '/watch', signal: controller.signal });
    s.write('one\n');
    const got: string[] = [];
    const iteration = (async () => {
      try {
        for await (const c of res.body) {
          got.push(String(c));
          if (got.length === 1) controller.abort();
        }
        return 'ended';
      } catch (err) {
        return (err as Error).name;
      }
    })();
    const outcome = await iteration;
    assert.ok(outcome === 'ended' || outcome === 'AbortError', `the iteration ended with ${outcome}`);
    assert.deepEqual(got, ['one\n']);
    await s.closed;
    // The transport still works.
    assert.equal((await t.request({ method: 'GET', url: '/x' })).status, 200);
  } finally {
    routes.delete('/watch');
    t.close();
  }
});

test('aborting before the response rejects the request', async () => {
  routes.set('/slow', () => {});
  const t = transport();
  try {
    const controller = new AbortController();
    const pending = t.request({ method: 'GET', url: '/slow', signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(pending, (err: Error) => err.name === 'AbortError');
    const already = AbortSignal.abort();
    await assert.rejects(t.request({ method: 'GET', url: '/x', signal: already }), (err: Error) => err.name === 'AbortError');
  } finally {
    routes.delete('/slow');
    t.close();
  }
});

test('after the server closes the session (GOAWAY), the next request succeeds on a new session', async () => {
  const t = transport();
  try {
    const before = sessionCount;
    assert.equal((await t.request({ method: 'GET', url: '/x' })).status, 200);
    assert.equal(sessionCount, before + 1);
    assert.equal((await t.request({ method: 'GET', url: '/x' })).status, 200);
    assert.equal(sessionCount, before + 1, 'requests share one session');
    const closing = [...sessions].map((s) => new Promise<void>((resolve) => s.once('close', () => resolve())));
    for (const s of sessions) s.close();
    await Promise.all(closing);
    assert.equal((await t.request({ method: 'GET', url: '/x' })).status, 200);
    assert.equal(sessionCount, before + 2);
  } finally {
    t.close();
  }
});

test('a request the server refuses while shutting its session down (GOAWAY) is retried on a new session', async () => {
  let refused = 0;
  routes.set('/refuse-once', (stream, headers, body) => {
    if (refused++ === 0) {
      stream.close(constants.NGHTTP2_REFUSED_STREAM);
      stream.session?.close();
      return;
    }
    echo(stream, headers, body);
  });
  const t = transport();
  try {
    const before = sessionCount;
    const res = await t.request({ method: 'POST', url: '/refuse-once', body: 'again' });
    assert.equal(res.status, 200);
    assert.equal((JSON.parse(res.body.toString('utf8')) as { body: string }).body, 'again', 'the body is sent again');
    assert.equal(refused, 2);
    assert.equal(sessionCount, before + 2);
  } finally {
    routes.delete('/refuse-once');
    t.close();
  }
});

test('a stream reset with REFUSED_STREAM is retried', async () => {
  let refused = 0;
  routes.set('/refuse-stream', (stream, headers, body) => {
    if (refused++ === 0) {
      stream.close(constants.NGHTTP2_REFUSED_STREAM);
      return;
    }
    echo(stream, headers, body);
  });
  const t = transport();
  try {
    const res = await t.request({ method: 'GET', url: '/refuse-stream' });
    assert.equal(res.status, 200);
    assert.equal(refused, 2);
  } finally {
    routes.delete('/refuse-stream');
    t.close();
  }
});

test('a stream reset with another code is an error, not retried', async () => {
  let calls = 0;
  routes.set('/reset', (stream) => {
    calls++;
    stream.close(constants.NGHTTP2_INTERNAL_ERROR);
  });
  const t = transport();
  try {
    await assert.rejects(t.request({ method: 'GET', url: '/reset' }));
    assert.equal(calls, 1);
  } finally {
    routes.delete('/reset');
    t.close();
  }
});

test('after close, requests fail', async () => {
  const t = transport();
  assert.equal((await t.request({ method: 'GET', url: '/x' })).status, 200);
  t.close();
  await assert.rejects(t.request({ method: 'GET', url: '/x' }), /transport closed/);
  await assert.rejects(t.stream({ method: 'GET', url: '/x' }), /transport closed/);
});
