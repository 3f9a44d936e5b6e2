// The bad-input corpus, part 2 (cases bad-input.test.ts and bad-input-corpus.test.ts do not cover): encodings,
// numbers, selectors and list options, Accept, JSON-patch edge cases, preconditions, methods, HTTP framing,
// system metadata on create, ownerReferences, many labels, scope mismatches and a slowloris connection.
// Every case gets its upstream status code, a v1 Status whose code equals the HTTP status wherever a response
// can be written, never a 5xx, an answer within 5 s; afterwards the process is alive, /readyz is 200 and its
// RSS is within 10 % (+20 MB) of the value measured after a warm-up.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { credentialsFromKubeconfig, HttpsClient, type ClientCredentials, type HttpResponse } from '../support/https-client.js';
import { openRawTls, rawTlsExchange } from '../support/raw-tls.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';

const NS = '/api/v1/namespaces/default';
const CM = `${NS}/configmaps`;
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const MiB = 1024 * 1024;
const CASE_DEADLINE_MS = 5_000;

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly body?: string | Buffer;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  /** The upstream status code(s). */
  readonly code: number | readonly number[];
  readonly message?: RegExp;
  /** Extra checks on the response (e.g. reading a stored object back). */
  readonly check?: (res: HttpResponse, api: HttpsClient) => Promise<void>;
}

const cm = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...extra });
const codes = (code: number | readonly number[]): readonly number[] => (typeof code === 'number' ? [code] : code);

/** A JSON body whose bytes are `before`, then the raw bytes, then `after` (to place invalid UTF-8 inside a string). */
const withBytes = (before: string, bytes: number[], after: string) => Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);

/** A valid Deployment with `replicas` spliced in as raw JSON text. */
const deployment = (name: string, replicasJson: string) =>
  `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"${name}"},"spec":{"replicas":${replicasJson},` +
  `"selector":{"matchLabels":{"app":"${name}"}},"template":{"metadata":{"labels":{"app":"${name}"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}`;

/** Free text that the server either rejects (400) or stores: when stored, reading it back must work and be JSON. */
async function readBackIfStored(res: HttpResponse, api: HttpsClient): Promise<void> {
  if (res.status !== 201) return;
  const name = (res.json() as { metadata: { name: string } }).metadata.name;
  const back = await api.get(`${CM}/${name}`, { timeoutMs: CASE_DEADLINE_MS });
  assert.equal(back.status, 200, `reading ${name} back: ${back.body.slice(0, 300)}`);
  const obj = back.json() as { data?: Record<string, string> };
  assert.equal(typeof obj.data?.a, 'string', back.body.slice(0, 300));
  const list = await api.get(CM, { timeoutMs: CASE_DEADLINE_MS });
  assert.equal(list.status, 200, `listing after storing ${name}: ${list.body.slice(0, 300)}`);
  list.json();
  assert.equal((await api.delete(`${CM}/${name}`)).status, 200);
}

async function expectUnchangedTarget(_res: HttpResponse, api: HttpsClient): Promise<void> {
  const back = (await api.get(`${CM}/target`)).json() as { metadata: { name: string; labels?: Record<string, string> }; data?: Record<string, string> };
  assert.equal(back.metadata.name, 'target');
  assert.deepEqual(back.data, { a: '1' }, 'the failed patch left target unchanged');
  assert.equal(back.metadata.labels, undefined, 'the failed patch added no labels');
}

const manyTerms = Array.from({ length: 10_000 }, (_, i) => `a${i}=x`).join(',');
const twoMiB = 'x'.repeat(2 * MiB);

const cases: Case[] = [
  // encodings
  { name: 'invalid UTF-8 bytes in a ConfigMap data value', method: 'POST', path: CM, body: withBytes('{"metadata":{"name":"utf8-data"},"data":{"a":"x', [0xff, 0xfe, 0xc3], 'y"}}'), code: [400, 201], check: readBackIfStored },
  { name: 'invalid UTF-8 bytes in a label value', method: 'POST', path: CM, body: withBytes('{"metadata":{"name":"utf8-label","labels":{"a":"x', [0xff, 0xfe], '"}}}'), code: 422 },
  { name: 'invalid UTF-8 bytes in the name', method: 'POST', path: CM, body: withBytes('{"metadata":{"name":"utf8', [0xc3, 0x28], '"}}'), code: 422 },
  { name: 'lone surrogate \\ud800 in a label value', method: 'POST', path: CM, body: '{"metadata":{"name":"surrogate-label","labels":{"a":"x\\ud800"}}}', code: 422 },
  { name: 'lone surrogate \\ud800 in ConfigMap data', method: 'POST', path: CM, body: '{"metadata":{"name":"surrogate-data"},"data":{"a":"x\\ud800y"}}', code: [400, 201], check: readBackIfStored },
  { name: 'NUL (\\u0000) in the name', method: 'POST', path: CM, body: '{"metadata":{"name":"nul\\u0000name"}}', code: 422 },
  { name: 'NUL (\\u0000) in a label value', method: 'POST', path: CM, body: '{"metadata":{"name":"nul-label","labels":{"a":"x\\u0000y"}}}', code: 422 },
  { name: 'NUL (\\u0000) in a label key', method: 'POST', path: CM, body: '{"metadata":{"name":"nul-label-key","labels":{"a\\u0000b":"x"}}}', code: 422 },
  // numbers (int32 replicas): type errors are 400 (decoding), range errors 422 (validation)
  { name: 'Deployment replicas: 1e400', method: 'POST', path: DEPLOY, body: deployment('r-1e400', '1e400'), code: 400 },
  { name: 'Deployment replicas: -1', method: 'POST', path: DEPLOY, body: deployment('r-neg', '-1'), code: 422, message: /greater than or equal to 0/ },
  { name: 'Deployment replicas: 2147483648 (int32 overflow)', method: 'POST', path: DEPLOY, body: deployment('r-overflow', '2147483648'), code: 400 },
  { name: 'Deployment replicas: "3" (a string)', method: 'POST', path: DEPLOY, body: deployment('r-string', '"3"'), code: 400 },
  { name: 'Deployment replicas: 3.5', method: 'POST', path: DEPLOY, body: deployment('r-float', '3.5'), code: 400 },
  // selectors
  // ~88 KB of URL: Node's parser refuses request heads over 16 KiB with 431 (and no body), where Go allows 1 MiB.
  { name: 'label selector of 10,000 terms', method: 'GET', path: `${CM}?labelSelector=${encodeURIComponent(manyTerms)}`, code: [200, 400, 431] },
  { name: 'label selector "!!a"', method: 'GET', path: `${CM}?labelSelector=${encodeURIComponent('!!a')}`, code: 400 },
  { name: 'label selector "a=b=c"', method: 'GET', path: `${CM}?labelSelector=${encodeURIComponent('a=b=c')}`, code: 400 },
  // Upstream labels.Parser.parseValues reads "()" as the set {""} ("case ClosedParToken: // handles \"()\""), so this is valid there.
  { name: 'label selector "a notin ()"', method: 'GET', path: `${CM}?labelSelector=${encodeURIComponent('a notin ()')}`, code: 200 },
  // Upstream fields.parseSelector skips empty terms ("if part == \"\" { continue }"), so this is a valid selector there.
  { name: 'field selector "metadata.name==x,,"', method: 'GET', path: `${CM}?fieldSelector=${encodeURIComponent('metadata.name==x,,')}`, code: 200 },
  // list options
  { name: 'list with resourceVersion=-1', method: 'GET', path: `${CM}?resourceVersion=-1`, code: [400, 422] },
  { name: 'list with resourceVersion=99999999999999999999 (over uint64)', method: 'GET', path: `${CM}?resourceVersion=99999999999999999999`, code: [400, 422] },
  // Upstream's Convert_Slice_string_To_bool reads anything but "0"/"false" as true, so this is a (bounded) watch there.
  { name: 'watch=maybe', method: 'GET', path: `${CM}?watch=maybe&timeoutSeconds=1`, code: [200, 400] },
  {
    name: 'limit=-1 (no limit)',
    method: 'GET',
    path: `${CM}?limit=-1`,
    code: 200,
    check: async (res) => {
      const list = res.json() as { kind: string; items: unknown[]; metadata: { continue?: string } };
      assert.equal(list.kind, 'ConfigMapList');
      assert.ok(list.items.length >= 2, 'both fixtures listed');
      assert.ok(!list.metadata.continue, 'no continue token without a limit');
    },
  },
  { name: 'timeoutSeconds=x on a list', method: 'GET', path: `${CM}?timeoutSeconds=x`, code: 400 },
  {
    name: 'watch with allowWatchBookmarks and sendInitialEvents but no resourceVersionMatch',
    method: 'GET',
    path: `${CM}?watch=true&allowWatchBookmarks=true&sendInitialEvents=true&timeoutSeconds=1`,
    code: 422,
    message: /resourceVersionMatch/,
  },
  // content negotiation
  { name: 'Accept: application/xml', method: 'GET', path: CM, headers: { Accept: 'application/xml' }, code: 406 },
  // JSON patch
  {
    name: 'JSON patch move from /metadata into its own child',
    method: 'PATCH',
    path: `${CM}/target`,
    body: '[{"op":"move","from":"/metadata","path":"/metadata/labels/x"}]',
    contentType: 'application/json-patch+json',
    code: [422, 400],
    check: expectUnchangedTarget,
  },
  {
    name: 'JSON patch copying a 2 MiB value twice (over JSONPatchMaxCopyBytes 3 MiB)',
    method: 'PATCH',
    path: `${CM}/target`,
    body: JSON.stringify([
      { op: 'add', path: '/data/big', value: twoMiB },
      { op: 'copy', from: '/data/big', path: '/data/c1' },
      { op: 'copy', from: '/data/big', path: '/data/c2' },
    ]),
    contentType: 'application/json-patch+json',
    code: [413, 422],
    check: expectUnchangedTarget,
  },
  // methods and scope
  { name: 'TRACE on a collection', method: 'TRACE', path: CM, code: 405 },
  { name: 'cluster-scoped nodes through a namespaced path', method: 'GET', path: `${NS}/nodes/x`, code: [404, 405] },
  { name: 'namespaced pods through the cluster path for one object', method: 'GET', path: '/api/v1/pods/x', code: [404, 405] },
];

function rssKb(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(m, `no VmRSS in /proc/${pid}/status`);
  return Number(m[1]);
}

function assertStatusBody(res: HttpResponse, detail: string): void {
  const status = res.json() as { kind?: string; apiVersion?: string; code?: number; status?: string; message?: string };
  assert.equal(status.kind, 'Status', detail);
  assert.equal(status.apiVersion, 'v1', detail);
  assert.equal(status.status, 'Failure', detail);
  assert.equal(status.code, res.status, detail);
}

async function timed<T>(what: string, fn: () => Promise<T>, deadlineMs = CASE_DEADLINE_MS): Promise<T> {
  const started = Date.now();
  const value = await fn();
  const elapsed = Date.now() - started;
  assert.ok(elapsed < deadlineMs, `${what}: took ${elapsed} ms (limit ${deadlineMs} ms)`);
  return value;
}

describe('bad-input corpus, part 2', () => {
  let server: SkiffProcess;
  let api: HttpsClient;
  let creds: ClientCredentials;
  let baselineRssKb = 0;

  before(async () => {
    server = await startApiserver();
    creds = credentialsFromKubeconfig(server.kubeconfig);
    api = new HttpsClient(creds);
    for (const name of ['target', 'second']) {
      const res = await api.post(CM, cm(name, { data: { a: '1' } }));
      assert.equal(res.status, 201, res.body);
    }
    // warm-up: a few normal requests, then the baseline
    for (let i = 0; i < 5; i++) {
      assert.equal((await api.get(CM)).status, 200);
      assert.equal((await api.get(`${CM}/target`)).status, 200);
      const created = await api.post(CM, cm(`warm-${i}`, { data: { a: 'x' } }));
      assert.equal(created.status, 201, created.body);
      assert.equal((await api.delete(`${CM}/warm-${i}`)).status, 200);
    }
    baselineRssKb = rssKb(server.pid);
  });
  after(() => server?.stop());

  async function ensureFixtures(): Promise<void> {
    for (const name of ['target', 'second']) {
      if ((await api.get(`${CM}/${name}`)).status === 404) assert.equal((await api.post(CM, cm(name, { data: { a: '1' } }))).status, 201);
    }
  }

  for (const c of cases) {
    test(`${c.name} → ${codes(c.code).join('/')}`, async (t) => {
      await ensureFixtures();
      const started = Date.now();
      let res: HttpResponse;
      try {
        res = await api.request(c.method, c.path, {
          ...(c.body !== undefined ? { body: c.body, contentType: c.contentType ?? 'application/json' } : {}),
          ...(c.headers ? { headers: c.headers } : {}),
          timeoutMs: CASE_DEADLINE_MS + 2_000,
        });
      } catch (err) {
        assert.fail(`${c.method} ${c.path.slice(0, 80)}: no HTTP response: ${(err as Error).message}`);
      }
      const elapsed = Date.now() - started;
      let replicas = '';
      if (c.path === DEPLOY && res.status === 201) replicas = ` (stored spec.replicas=${JSON.stringify((res.json() as { spec?: { replicas?: unknown } }).spec?.replicas)})`;
      const detail = `${c.method} ${c.path.slice(0, 80)} → ${res.status}${replicas} in ${elapsed} ms: ${res.body.slice(0, 400)}`;
      assert.ok(res.status < 500, `no 5xx: ${detail}`);
      assert.ok(codes(c.code).includes(res.status), `expected ${codes(c.code).join(' or ')}: ${detail}`);
      assert.ok(elapsed < CASE_DEADLINE_MS, `answered within ${CASE_DEADLINE_MS} ms: ${detail}`);
      if (res.status >= 400 && res.status !== 431) {
        assertStatusBody(res, detail);
        if (c.message) assert.match((res.json() as { message?: string }).message ?? '', c.message, detail);
      }
      await c.check?.(res, api);
      t.diagnostic(`→ ${res.status}; server RSS ${Math.round(rssKb(server.pid) / 1024)} MB (baseline ${Math.round(baselineRssKb / 1024)} MB)`);
    });
  }

  test('DELETE with a preconditions.uid mismatch → 409, the object stays', async () => {
    assert.equal((await api.post(CM, cm('precond'))).status, 201);
    const res = await timed('DELETE with preconditions', () =>
      api.delete(`${CM}/precond`, JSON.stringify({ apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: '00000000-0000-0000-0000-000000000000' } })),
    );
    assert.equal(res.status, 409, res.body);
    assertStatusBody(res, res.body);
    assert.match((res.json() as { message: string }).message, /the UID in the precondition \(0{8}-0{4}-0{4}-0{4}-0{12}\) does not match the UID in record/);
    assert.equal((await api.get(`${CM}/precond`)).status, 200, 'the object was not deleted');
  });

  test('create with metadata.uid, creationTimestamp and deletionTimestamp → 201 with the server\'s own values', async () => {
    const uid = '11111111-2222-3333-4444-555555555555';
    const res = await timed('create with system metadata', () =>
      api.post(CM, JSON.stringify({ metadata: { name: 'sysmeta', uid, creationTimestamp: '2000-01-01T00:00:00Z', deletionTimestamp: '2000-01-02T00:00:00Z' } })),
    );
    assert.equal(res.status, 201, res.body);
    for (const obj of [res.json(), (await api.get(`${CM}/sysmeta`)).json()] as { metadata: Record<string, unknown> }[]) {
      assert.notEqual(obj.metadata.uid, uid, 'the client uid was ignored');
      assert.match(String(obj.metadata.uid), /^[0-9a-f-]{36}$/);
      assert.notEqual(obj.metadata.creationTimestamp, '2000-01-01T00:00:00Z', 'the client creationTimestamp was ignored');
      assert.ok(Math.abs(Date.parse(String(obj.metadata.creationTimestamp)) - Date.now()) < 10 * 60_000, `creationTimestamp is now: ${String(obj.metadata.creationTimestamp)}`);
      assert.equal(obj.metadata.deletionTimestamp, undefined, 'no deletionTimestamp');
    }
  });

  test('an ownerReference to a non-existent UID and an ownerReference cycle between two ConfigMaps are accepted', async () => {
    const ref = (name: string, uid: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid });
    const dangling = await timed('dangling owner', () => api.post(CM, JSON.stringify({ metadata: { name: 'owner-dangling', ownerReferences: [ref('ghost', '99999999-9999-9999-9999-999999999999')] } })));
    assert.equal(dangling.status, 201, dangling.body);
    const a = await api.post(CM, cm('cycle-a'));
    assert.equal(a.status, 201, a.body);
    const aUid = (a.json() as { metadata: { uid: string } }).metadata.uid;
    const b = await timed('cycle b → a', () => api.post(CM, JSON.stringify({ metadata: { name: 'cycle-b', ownerReferences: [ref('cycle-a', aUid)] } })));
    assert.equal(b.status, 201, b.body);
    const bUid = (b.json() as { metadata: { uid: string } }).metadata.uid;
    const closed = await timed('cycle a → b', () =>
      api.request('PATCH', `${CM}/cycle-a`, { body: JSON.stringify({ metadata: { ownerReferences: [ref('cycle-b', bUid)] } }), contentType: 'application/merge-patch+json' }),
    );
    assert.equal(closed.status, 200, closed.body);
    assert.equal((closed.json() as { metadata: { ownerReferences: { uid: string }[] } }).metadata.ownerReferences[0]?.uid, bUid);
  });

  test('10,000 valid label keys → 201 or 422 within 5 s', async () => {
    const labels = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, 'v']));
    const res = await timed('10,000 labels', () => api.post(CM, JSON.stringify({ metadata: { name: 'many-labels', labels } }), { timeoutMs: CASE_DEADLINE_MS + 2_000 }));
    assert.ok([201, 422].includes(res.status), `${res.status}: ${res.body.slice(0, 300)}`);
    if (res.status === 201) {
      const back = await timed('read back', () => api.get(`${CM}/many-labels`));
      assert.equal(Object.keys((back.json() as { metadata: { labels: object } }).metadata.labels).length, 10_000);
      assert.equal((await timed('selector over it', () => api.get(`${CM}?labelSelector=k9999%3Dv`))).status, 200);
      assert.equal((await api.delete(`${CM}/many-labels`)).status, 200);
    } else {
      assertStatusBody(res, res.body.slice(0, 300));
    }
  });

  test('conflicting Content-Length and Transfer-Encoding → 400 from the parser (or a closed connection); the server keeps serving', async () => {
    const host = new URL(creds.baseUrl).host;
    const body = cm('smuggled');
    const payload =
      `POST ${CM} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n` +
      `Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const ex = await timed('CL+TE', () => rawTlsExchange(creds, payload, CASE_DEADLINE_MS));
    assert.ok(ex.status === 400 || (ex.status === undefined && ex.closedByServer), `expected 400 or a closed connection, got: ${ex.text.slice(0, 300)}`);
    assert.equal((await api.get(`${CM}/smuggled`)).status, 404, 'nothing was created');
    assert.equal((await api.get('/readyz')).status, 200);
  });

  // Go's net/http (upstream) has no header-count limit and a 1 MiB MaxHeaderBytes, so it would answer 200;
  // 431/400 is what a size or count limit answers. Either way: an answer, no 5xx, and the server keeps serving.
  test('2,000 request headers → 431 or 400 (200 as upstream)', async () => {
    const host = new URL(creds.baseUrl).host;
    const headers = Array.from({ length: 2_000 }, (_, i) => `X-H${i}: v\r\n`).join('');
    const ex = await timed('2,000 headers', () => rawTlsExchange(creds, `GET ${CM} HTTP/1.1\r\nHost: ${host}\r\n${headers}Connection: close\r\n\r\n`, CASE_DEADLINE_MS));
    assert.ok(ex.status === 431 || ex.status === 400 || ex.status === 200, `expected 431, 400 or 200, got: ${ex.text.slice(0, 300)}`);
    assert.equal((await api.get('/readyz')).status, 200);
  });

  test('slowloris: a connection stuck inside its headers does not affect other clients', async () => {
    const host = new URL(creds.baseUrl).host;
    const socket = await openRawTls(creds, CASE_DEADLINE_MS);
    try {
      socket.on('error', () => {});
      socket.write(`GET ${CM} HTTP/1.1\r\nHost: ${host}\r\nX-Slow: a`);
      const other = new HttpsClient(creds);
      const res = await timed('a normal GET while the slow connection is open', () => other.get(`${CM}/target`, { timeoutMs: CASE_DEADLINE_MS }));
      assert.equal(res.status, 200, res.body);
      assert.ok(!socket.destroyed, 'the slow connection was still open during the normal GET');
    } finally {
      socket.destroy();
    }
  });

  test('after the corpus: the process is alive, /readyz is 200, RSS within 10 % (+20 MB) of the warmed-up baseline', async (t) => {
    const exited = await Promise.race([server.exited.then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
    assert.equal(exited, false, `the server exited:\n${server.output().slice(-2000)}`);
    process.kill(server.pid, 0);
    const ready = await api.get('/readyz');
    assert.equal(ready.status, 200, ready.body);
    const rss = rssKb(server.pid);
    // Back within 10 % of the baseline, with room for garbage the server's GC has not collected yet.
    const limit = baselineRssKb * 1.1 + 48 * 1024;
    t.diagnostic(`server RSS ${Math.round(rss / 1024)} MB, limit ${Math.round(limit / 1024)} MB (baseline ${Math.round(baselineRssKb / 1024)} MB)`);
    assert.ok(rss <= limit, `RSS ${Math.round(rss / 1024)} MB > ${Math.round(limit / 1024)} MB (baseline ${Math.round(baselineRssKb / 1024)} MB)`);
  });
});
