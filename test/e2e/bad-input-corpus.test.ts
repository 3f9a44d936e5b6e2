// The bad-input corpus from the reliability notes, against the real server process: every case gets its
// upstream status code (a 4xx where upstream itself answers 500), a Status body wherever a response can be
// written, never a 5xx (other than upstream's 504 for a too-large resourceVersion), bounded time and memory;
// afterwards the server is still ready and a normal create works.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { credentialsFromKubeconfig, HttpsClient, type HttpResponse } from '../support/https-client.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';

const NS = '/api/v1/namespaces/default';
const CM = `${NS}/configmaps`;
const PODS = `${NS}/pods`;
const MiB = 1024 * 1024;
const CASE_DEADLINE_MS = 5_000;
const RSS_LIMIT_KB = 600 * 1024;

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string | (() => string);
  readonly body?: string | Buffer;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  /** The status upstream answers (or the 4xx we expect where upstream answers 500); several when either is upstream-compatible. */
  readonly code: number | readonly number[];
  readonly message?: RegExp;
  /** No Status body can be written (e.g. Node's own 431). */
  readonly noBody?: boolean;
  /** Wall time allowed (the too-large resourceVersion list waits ~3 s by design). */
  readonly deadlineMs?: number;
}

const cm = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...extra });

function yamlAliasBomb(): string {
  const names = 'abcdefghi'.split('');
  const lines = [`a: &a [${Array(9).fill('"lol"').join(',')}]`];
  for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]`);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n${lines.join('\n')}\n`;
}

function deepYaml(depth: number): string {
  // flow style: [[[[...]]]] under a data key
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
}

function bodyOfSize(size: number): string {
  // A valid ConfigMap JSON of exactly `size` bytes.
  const head = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big"},"data":{"a":"';
  const tail = '"}}';
  return head + 'x'.repeat(size - head.length - tail.length) + tail;
}

/** A minimal protobuf envelope (`k8s\0` + runtime.Unknown with TypeMeta v1/ConfigMap and an empty raw). */
function protobufConfigMap(): Buffer {
  const typeMeta = Buffer.concat([Buffer.from([0x0a, 2]), Buffer.from('v1'), Buffer.from([0x12, 9]), Buffer.from('ConfigMap')]);
  const unknown = Buffer.concat([Buffer.from([0x0a, typeMeta.length]), typeMeta, Buffer.from([0x12, 0])]);
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), unknown]);
}

let continueToken = '';

const cases: Case[] = [
  // malformed bodies
  { name: 'malformed JSON', method: 'POST', path: CM, body: '{"metadata":{"name":"x"},,}', code: 400, message: /cannot be handled as a ConfigMap|invalid character/ },
  { name: 'truncated body', method: 'POST', path: CM, body: cm('trunc').slice(0, 30), code: 400 },
  { name: 'trailing garbage after a valid object', method: 'POST', path: CM, body: `${cm('trailing')}garbage`, code: 400 },
  { name: 'two concatenated objects', method: 'POST', path: CM, body: `${cm('two-a')}${cm('two-b')}`, code: 400 },
  // YAML
  { name: 'YAML alias bomb (billion laughs, 9 levels)', method: 'POST', path: CM, body: yamlAliasBomb(), contentType: 'application/yaml', code: [400, 422] },
  {
    name: 'YAML duplicate keys under fieldValidation=Strict',
    method: 'POST',
    path: `${CM}?fieldValidation=Strict`,
    body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\ndata:\n  a: "1"\n  a: "2"\n',
    contentType: 'application/yaml',
    code: 400,
    message: /duplicate|already (defined|set)/,
  },
  // deep nesting
  { name: '10,000-deep nesting in JSON', method: 'POST', path: CM, body: `{"metadata":{"name":"deep"},"data":{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`, code: 400 },
  { name: '10,000-deep nesting of objects in JSON', method: 'POST', path: CM, body: `{"metadata":{"name":"deep"},"data":${'{"a":'.repeat(10_000)}"1"${'}'.repeat(10_000)}}`, code: 400 },
  { name: '10,000-deep nesting in YAML', method: 'POST', path: CM, body: deepYaml(10_000), contentType: 'application/yaml', code: 400 },
  { name: '10,000-deep flow-mapping nesting in YAML', method: 'POST', path: CM, body: `metadata: {name: deep}\ndata: ${'{a: '.repeat(10_000)}x${'}'.repeat(10_000)}\n`, contentType: 'application/yaml', code: 400 },
  // sizes
  { name: 'body of 3 MiB + 1 byte', method: 'POST', path: CM, body: bodyOfSize(3 * MiB + 1), code: 413, message: /Request entity too large/ },
  { name: 'body of exactly 3 MiB (valid ConfigMap, data over 1 MiB)', method: 'POST', path: CM, body: bodyOfSize(3 * MiB), code: [201, 422], message: /(must have at most|may not be more than) 1048576 bytes/ }, // v1.32 words TooLong as "may not be more than"; later releases "must have at most"
  // content types
  { name: 'Content-Type text/plain', method: 'POST', path: CM, body: cm('tp'), contentType: 'text/plain', code: 415 },
  { name: 'Content-Type application/xml', method: 'POST', path: CM, body: '<ConfigMap/>', contentType: 'application/xml', code: 415 },
  { name: 'application/json with a protobuf body', method: 'POST', path: CM, body: protobufConfigMap(), contentType: 'application/json', code: 400 },
  { name: 'protobuf Content-Type with a JSON body', method: 'POST', path: CM, body: cm('pbjson'), contentType: 'application/vnd.kubernetes.protobuf', code: 400 },
  // type, namespace and name mismatches
  { name: 'apiVersion mismatch with the URL', method: 'POST', path: CM, body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'gv' } }), code: 400 },
  { name: 'kind mismatch with the URL', method: 'POST', path: CM, body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'kind' } }), code: 400 },
  { name: 'namespace mismatch', method: 'POST', path: CM, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nsm', namespace: 'kube-system' } }), code: 400, message: /namespace of the provided object does not match/ },
  { name: 'name mismatch on PUT', method: 'PUT', path: `${CM}/target`, body: cm('other'), code: 400, message: /does not match the name on the URL/ },
  // names (path.IsValidPathSegmentName for names in the URL, NameIsDNSSubdomain for names in bodies)
  { name: 'uppercase name in the body', method: 'POST', path: CM, body: cm('Upper'), code: 422 },
  { name: 'uppercase name in the URL (GET)', method: 'GET', path: `${CM}/Upper`, code: 404 },
  { name: '254-character name in the body', method: 'POST', path: CM, body: cm('a'.repeat(254)), code: 422, message: /no more than 253 characters/ },
  { name: '254-character name in the URL (GET)', method: 'GET', path: `${CM}/${'a'.repeat(254)}`, code: 404 },
  { name: '".." as the name in the body', method: 'POST', path: CM, body: cm('..'), code: 422 },
  { name: '".." as the name in the URL (GET)', method: 'GET', path: `${CM}/..`, code: 400, message: /may not be '\.\.'/ },
  { name: '"." as the name in the URL (DELETE)', method: 'DELETE', path: `${CM}/.`, code: 400, message: /may not be '\.'/ },
  { name: 'name with "/" in the body', method: 'POST', path: CM, body: cm('a/b'), code: 422 },
  { name: 'name with %2F in the URL (becomes a subresource)', method: 'GET', path: `${CM}/a%2Fb`, code: 404 },
  { name: 'name with "%" in the URL', method: 'GET', path: `${CM}/a%25b`, code: 400, message: /may not contain '%'/ },
  // metadata sizes
  { name: '64-character label value', method: 'POST', path: CM, body: JSON.stringify({ metadata: { name: 'lbl', labels: { a: 'x'.repeat(64) } } }), code: 422, message: /must be no more than 63 characters/ },
  {
    name: 'annotations over 256 KiB in total',
    method: 'POST',
    path: CM,
    body: JSON.stringify({ metadata: { name: 'ann', annotations: { a: 'x'.repeat(200 * 1024), b: 'y'.repeat(100 * 1024) } } }),
    code: 422,
    message: /Too long: (must have at most|may not be more than) 262144 bytes/,
  },
  // list parameters
  { name: 'label selector "!!"', method: 'GET', path: `${CM}?labelSelector=%21%21`, code: 400 },
  { name: 'label selector with a 64-character value', method: 'GET', path: `${CM}?labelSelector=a%3D${'x'.repeat(64)}`, code: 400 },
  { name: 'field selector on an unknown field', method: 'GET', path: `${CM}?fieldSelector=data.a%3D1`, code: 400, message: /not a known field selector/ },
  { name: 'field selector with a bad operator', method: 'GET', path: `${CM}?fieldSelector=metadata.name%3E1`, code: 400 },
  { name: 'resourceVersionMatch without resourceVersion', method: 'GET', path: `${CM}?resourceVersionMatch=Exact`, code: 422, message: /resourceVersionMatch is forbidden unless resourceVersion is provided/ },
  { name: 'resourceVersionMatch=Bogus', method: 'GET', path: `${CM}?resourceVersionMatch=Bogus&resourceVersion=1`, code: 422 },
  { name: 'resourceVersion=-5', method: 'GET', path: `${CM}?resourceVersion=-5`, code: 422 },
  { name: 'sendInitialEvents on a list', method: 'GET', path: `${CM}?sendInitialEvents=true`, code: 422, message: /sendInitialEvents is forbidden for list/ },
  { name: 'limit=abc', method: 'GET', path: `${CM}?limit=abc`, code: 400 },
  { name: 'timeoutSeconds=abc', method: 'GET', path: `${CM}?watch=true&timeoutSeconds=abc`, code: 400 },
  { name: 'continue with a resourceVersion', method: 'GET', path: () => `${CM}?limit=1&continue=${encodeURIComponent(continueToken)}&resourceVersion=5`, code: 400, message: /specifying resource version is not allowed when using continue/ },
  { name: 'continue that is not base64', method: 'GET', path: `${CM}?limit=1&continue=%25%25%25`, code: 400, message: /invalid continue token/ },
  // methods, resources, groups
  { name: 'PROPFIND on a collection', method: 'PROPFIND', path: CM, code: 405 },
  { name: 'PROPFIND on an object', method: 'PROPFIND', path: `${CM}/target`, code: 405 },
  { name: 'unknown resource', method: 'GET', path: `${NS}/foos`, code: 404 },
  { name: 'unknown group', method: 'GET', path: '/apis/nope.example.com/v1/namespaces/default/foos', code: 404 },
  { name: 'unknown version of a known group', method: 'GET', path: '/apis/apps/v9/namespaces/default/deployments', code: 404 },
  // too-large resourceVersion (watch: see the separate test)
  { name: 'list with a resourceVersion far in the future', method: 'GET', path: `${CM}?resourceVersion=999999999`, code: 504, message: /Too large resource version/, deadlineMs: 5_000 },
  // patches
  {
    name: 'JSON patch with 10,001 operations',
    method: 'PATCH',
    path: `${CM}/target`,
    body: JSON.stringify(Array.from({ length: 10_001 }, () => ({ op: 'test', path: '/metadata/name', value: 'target' }))),
    contentType: 'application/json-patch+json',
    code: 413,
    message: /maximum operations in a JSON patch is 10000/,
  },
  { name: 'merge patch that is an array', method: 'PATCH', path: `${CM}/target`, body: '[{"data":{"a":"b"}}]', contentType: 'application/merge-patch+json', code: [400, 422] },
  { name: 'strategic merge patch with $patch: foo', method: 'PATCH', path: `${CM}/target`, body: '{"$patch":"foo"}', contentType: 'application/strategic-merge-patch+json', code: 400 },
  { name: 'JSON patch that is an object', method: 'PATCH', path: `${CM}/target`, body: '{"op":"add"}', contentType: 'application/json-patch+json', code: 400 },
  // options
  { name: 'dryRun=Foo', method: 'POST', path: `${CM}?dryRun=Foo`, body: cm('dry'), code: 400, message: /dryRun|dry run/i },
  { name: 'fieldValidation=Loud', method: 'POST', path: `${CM}?fieldValidation=Loud`, body: cm('loud'), code: 400, message: /fieldValidation/ },
  { name: 'propagationPolicy=Sideways', method: 'DELETE', path: `${CM}/target?propagationPolicy=Sideways`, code: 422, message: /propagationPolicy/ },
  // headers
  { name: 'a header over 16 KiB', method: 'GET', path: CM, headers: { 'X-Big': 'a'.repeat(17 * 1024) }, code: 431, noBody: true },
];

function rssKb(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(m, `no VmRSS in /proc/${pid}/status`);
  return Number(m[1]);
}

function expected(code: number | readonly number[]): readonly number[] {
  return typeof code === 'number' ? [code] : code;
}

describe('bad-input corpus', () => {
  let server: SkiffProcess;
  let api: HttpsClient;
  before(async () => {
    server = await startApiserver();
    api = new HttpsClient(credentialsFromKubeconfig(server.kubeconfig));
    for (const name of ['target', 'second']) {
      const res = await api.post(CM, cm(name, { data: { a: '1' } }));
      assert.equal(res.status, 201, res.body);
    }
    const page = (await api.get(`${CM}?limit=1`)).json() as { metadata: { continue?: string } };
    assert.ok(page.metadata.continue, 'a page of one of two ConfigMaps has a continue token');
    continueToken = page.metadata.continue;
  });
  after(() => server?.stop());

  /** Re-creates the fixtures a previous case may have removed, so one deviation does not cascade. */
  async function ensureFixtures(): Promise<void> {
    for (const name of ['target', 'second']) {
      if ((await api.get(`${CM}/${name}`)).status === 404) assert.equal((await api.post(CM, cm(name, { data: { a: '1' } }))).status, 201);
    }
  }

  for (const c of cases) {
    test(`${c.name} → ${expected(c.code).join('/')}`, async () => {
      await ensureFixtures();
      const path = typeof c.path === 'function' ? c.path() : c.path;
      const started = Date.now();
      let res: HttpResponse;
      try {
        res = await api.request(c.method, path, {
          ...(c.body !== undefined ? { body: c.body, contentType: c.contentType ?? 'application/json' } : {}),
          ...(c.headers ? { headers: c.headers } : {}),
          timeoutMs: (c.deadlineMs ?? CASE_DEADLINE_MS) + 5_000,
        });
      } catch (err) {
        assert.fail(`${c.method} ${path.slice(0, 80)}: no HTTP response: ${(err as Error).message}`);
      }
      const elapsed = Date.now() - started;
      const detail = `${c.method} ${path.slice(0, 80)} → ${res.status} in ${elapsed} ms: ${res.body.slice(0, 400)}`;
      assert.ok(res.status < 500 || (res.status === 504 && expected(c.code).includes(504)), `no 5xx: ${detail}`);
      assert.ok(expected(c.code).includes(res.status), `expected ${expected(c.code).join(' or ')}: ${detail}`);
      assert.ok(elapsed < (c.deadlineMs ?? CASE_DEADLINE_MS), `answered within ${c.deadlineMs ?? CASE_DEADLINE_MS} ms: ${detail}`);
      if (!c.noBody && res.status >= 400) {
        const status = res.json() as { kind?: string; apiVersion?: string; code?: number; status?: string; message?: string };
        assert.equal(status.kind, 'Status', detail);
        assert.equal(status.apiVersion, 'v1', detail);
        assert.equal(status.status, 'Failure', detail);
        assert.equal(status.code, res.status, detail);
        if (c.message) assert.match(status.message ?? '', c.message, detail);
      }
      const rss = rssKb(server.pid);
      assert.ok(rss < RSS_LIMIT_KB, `server RSS ${Math.round(rss / 1024)} MB after "${c.name}"`);
    });
  }

  test('a watch with a resourceVersion far in the future and sendInitialEvents gets 504 (Too large resource version) as an ERROR event within ~3 s', async () => {
    const started = Date.now();
    const w = await api.watch(`${CM}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&resourceVersion=999999999`);
    try {
      // Upstream (cacher.Watch → waitUntilWatchCacheFreshAndForceAllEvents → newErrWatcher) answers 200 and sends the error as an event.
      assert.equal(w.status, 200, w.raw());
      const ev = await w.next(6_000);
      const elapsed = Date.now() - started;
      assert.ok(ev, `an event before the stream ended: ${w.raw()}`);
      assert.equal(ev.type, 'ERROR', JSON.stringify(ev));
      assert.equal(ev.object.kind, 'Status');
      assert.equal(ev.object.code, 504, JSON.stringify(ev));
      assert.match(ev.object.message, /Too large resource version/);
      assert.ok(elapsed < 5_000, `the error came after ${elapsed} ms`);
    } finally {
      w.abort();
    }
  });

  test('a plain watch from a resourceVersion far in the future is no 5xx', async () => {
    const res = await api.watch(`${CM}?watch=true&resourceVersion=999999999&timeoutSeconds=1`);
    try {
      assert.ok(res.status < 500 || res.status === 504, `${res.status}: ${res.raw()}`);
      if (res.status === 200) {
        const events = await res.drain(8_000);
        for (const ev of events) {
          if (ev.type === 'ERROR') assert.ok(ev.object.code === 504 || ev.object.code === 410, JSON.stringify(ev));
        }
      }
    } finally {
      res.abort();
    }
  });

  test('after the corpus: nothing bad was stored, /readyz is 200, a normal create works, memory is bounded', async () => {
    const list = (await api.get(CM)).json() as { items: { metadata: { name: string }; data?: Record<string, string> }[] };
    for (const item of list.items) {
      assert.ok(['second', 'target'].includes(item.metadata.name), `stored by the corpus: ${item.metadata.name}`);
      assert.deepEqual(item.data, { a: '1' }, `${item.metadata.name} was changed by the corpus`);
    }
    const ready = await api.get('/readyz');
    assert.equal(ready.status, 200, ready.body);
    const created = await api.post(CM, cm('after-corpus', { data: { ok: 'yes' } }));
    assert.equal(created.status, 201, created.body);
    const pod = await api.post(PODS, JSON.stringify({ metadata: { name: 'after-corpus' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }));
    assert.equal(pod.status, 201, pod.body);
    assert.ok(rssKb(server.pid) < RSS_LIMIT_KB);
  });
});
