import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Status } from 'kubernetes-types/meta/v1.js';
import { ApiError } from '../api/index.js';
import { RestClient, errorFromResponse, type KubeObject, type ResourceType } from './rest-client.js';
import type { Transport, TransportRequest, TransportResponse, TransportStream } from './transport.js';

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

/** Records every request and answers with `answer` (JSON-encoding non-string bodies). */
class FakeTransport implements Transport {
  readonly requests: TransportRequest[] = [];
  readonly log: string[];
  answer: (req: TransportRequest) => Answer = () => ({ status: 200, body: {} });
  streamChunks: string[] = [];

  constructor(log: string[] = []) {
    this.log = log;
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    this.requests.push(req);
    this.log.push(`request ${req.method} ${req.url}`);
    const a = this.answer(req);
    return { status: a.status, headers: a.headers ?? {}, body: Buffer.from(typeof a.body === 'string' ? a.body : JSON.stringify(a.body)) };
  }

  async stream(req: TransportRequest): Promise<TransportStream> {
    this.requests.push(req);
    this.log.push(`stream ${req.method} ${req.url}`);
    const a = this.answer(req);
    const chunks = a.status === 200 ? this.streamChunks : [typeof a.body === 'string' ? a.body : JSON.stringify(a.body)];
    return {
      status: a.status,
      headers: {},
      body: (async function* () {
        for (const c of chunks) yield Buffer.from(c);
      })(),
    };
  }

  close(): void {}

  last(): TransportRequest {
    const r = this.requests.at(-1);
    assert.ok(r, 'no request was sent');
    return r;
  }
  lastBody(): Record<string, unknown> {
    const body = this.last().body;
    assert.ok(body !== undefined, 'the request has no body');
    return JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8')) as Record<string, unknown>;
  }
}

const PODS: ResourceType = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
const NODES: ResourceType = { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false };
const DEPLOYMENTS: ResourceType = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true };
const CRDS: ResourceType = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false };

function setup() {
  const transport = new FakeTransport();
  const client = new RestClient(transport);
  return { transport, client };
}

function split(url: string): { path: string; query: Record<string, string> } {
  const u = new URL(url, 'https://x');
  return { path: u.pathname, query: Object.fromEntries(u.searchParams) };
}

test('URL paths: core and grouped, namespaced and cluster-scoped, names and subresources', async () => {
  const { transport, client } = setup();
  const pods = client.resource<KubeObject>(PODS);
  await pods.get('default', 'web-1');
  assert.equal(transport.last().url, '/api/v1/namespaces/default/pods/web-1');
  assert.equal(transport.last().method, 'GET');
  await pods.list('');
  assert.equal(transport.last().url, '/api/v1/pods', 'all namespaces');
  await pods.list('kube-system');
  assert.equal(transport.last().url, '/api/v1/namespaces/kube-system/pods');

  const nodes = client.resource<KubeObject>(NODES);
  await nodes.get('ignored', 'node-1');
  assert.equal(transport.last().url, '/api/v1/nodes/node-1', 'the namespace of a cluster-scoped resource is ignored');

  const deployments = client.resource<KubeObject>(DEPLOYMENTS);
  await deployments.get('prod', 'api');
  assert.equal(transport.last().url, '/apis/apps/v1/namespaces/prod/deployments/api');
  await client.resource<KubeObject>(CRDS).list('');
  assert.equal(transport.last().url, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');

  await deployments.patch('prod', 'api', 'merge', { spec: { replicas: 3 } }, { subresource: 'scale' });
  assert.equal(transport.last().url, '/apis/apps/v1/namespaces/prod/deployments/api/scale');
  await pods.updateStatus('default', { metadata: { name: 'web-1' } });
  assert.equal(transport.last().url, '/api/v1/namespaces/default/pods/web-1/status');
  assert.equal(transport.last().method, 'PUT');
  await pods.createSubresource('default', 'web-1', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web-1' } });
  assert.equal(transport.last().url, '/api/v1/namespaces/default/pods/web-1/binding');
  assert.equal(transport.last().method, 'POST');

  // Names are escaped.
  await pods.get('default', 'a b/c');
  assert.equal(transport.last().url, '/api/v1/namespaces/default/pods/a%20b%2Fc');

  // kind() finds the REST coordinates of a served kind.
  await client.kind<KubeObject>('apps/v1', 'ReplicaSet').get('prod', 'rs');
  assert.equal(transport.last().url, '/apis/apps/v1/namespaces/prod/replicasets/rs');
  await client.kind<KubeObject>('v1', 'Namespace').get('', 'prod');
  assert.equal(transport.last().url, '/api/v1/namespaces/prod');
  assert.throws(() => client.kind('v1', 'NoSuchKind'), /unknown kind/);
});

test('query parameters of list and watch', async () => {
  const { transport, client } = setup();
  const pods = client.resource<KubeObject>(PODS);
  await pods.list('default', { labelSelector: 'app=web,tier!=db', fieldSelector: 'spec.nodeName=n1', resourceVersion: '0', limit: 50, continue: 'tok' });
  assert.deepEqual(split(transport.last().url), {
    path: '/api/v1/namespaces/default/pods',
    query: { labelSelector: 'app=web,tier!=db', fieldSelector: 'spec.nodeName=n1', resourceVersion: '0', limit: '50', continue: 'tok' },
  });
  await pods.list('default', { resourceVersion: '' });
  assert.equal(transport.last().url, '/api/v1/namespaces/default/pods', 'an empty resourceVersion is left out');

  transport.streamChunks = [];
  for await (const _ of pods.watch('', { resourceVersion: '42', allowWatchBookmarks: true, timeoutSeconds: 300, labelSelector: 'app=web' })) {
    // no events
  }
  assert.deepEqual(split(transport.last().url), {
    path: '/api/v1/pods',
    query: { resourceVersion: '42', allowWatchBookmarks: 'true', timeoutSeconds: '300', labelSelector: 'app=web', watch: 'true' },
  });
  assert.equal(transport.last().headers?.accept, 'application/json');
});

test('writes: apiVersion and kind added to bodies, dryRun=All, fieldManager, content types', async () => {
  const { transport, client } = setup();
  const deployments = client.resource<KubeObject & { spec?: unknown }>(DEPLOYMENTS);
  await deployments.create('prod', { metadata: { name: 'api' }, spec: { replicas: 1 } }, { dryRun: true, fieldManager: 'skiff-test' });
  assert.equal(transport.last().method, 'POST');
  assert.deepEqual(split(transport.last().url), { path: '/apis/apps/v1/namespaces/prod/deployments', query: { dryRun: 'All', fieldManager: 'skiff-test' } });
  assert.equal(transport.last().headers?.['content-type'], 'application/json');
  assert.equal(transport.last().headers?.accept, 'application/json');
  assert.deepEqual(transport.lastBody(), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { replicas: 1 } });

  const pods = client.resource<KubeObject>(PODS);
  await pods.update('default', { metadata: { name: 'p', resourceVersion: '5' } });
  assert.equal(transport.last().url, '/api/v1/namespaces/default/pods/p', 'no query without options');
  assert.deepEqual(transport.lastBody(), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', resourceVersion: '5' } });
  await assert.rejects(pods.update('default', { metadata: {} }), /no metadata.name/);

  // An object that says what it is keeps it.
  await pods.create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q' } }, { dryRun: false });
  assert.equal(transport.last().url, '/api/v1/namespaces/default/pods');
  assert.deepEqual(transport.lastBody(), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q' } });
});

test('patch: the content type of each patch type, and force only when asked', async () => {
  const { transport, client } = setup();
  const pods = client.resource<KubeObject>(PODS);
  const cases = [
    ['json', 'application/json-patch+json', [{ op: 'replace', path: '/metadata/labels/a', value: 'b' }]],
    ['merge', 'application/merge-patch+json', { metadata: { labels: { a: 'b' } } }],
    ['strategic', 'application/strategic-merge-patch+json', { metadata: { labels: { a: 'b' } } }],
    ['apply', 'application/apply-patch+yaml', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }],
  ] as const;
  for (const [type, contentType, patch] of cases) {
    await pods.patch('default', 'p', type, patch);
    assert.equal(transport.last().method, 'PATCH');
    assert.equal(transport.last().url, '/api/v1/namespaces/default/pods/p');
    assert.equal(transport.last().headers?.['content-type'], contentType, type);
    assert.deepEqual(JSON.parse(String(transport.last().body)), patch);
  }
  await pods.patch('default', 'p', 'apply', 'apiVersion: v1\nkind: Pod\n', { fieldManager: 'me', force: true, dryRun: true });
  assert.deepEqual(split(transport.last().url).query, { dryRun: 'All', fieldManager: 'me', force: 'true' });
  assert.equal(transport.last().body, 'apiVersion: v1\nkind: Pod\n', 'a string patch is sent as it is');
  await pods.patch('default', 'p', 'apply', {}, { fieldManager: 'me', force: false });
  assert.deepEqual(split(transport.last().url).query, { fieldManager: 'me', force: 'false' });
});

test('delete: no options send an empty body; options send DeleteOptions, dryRun as ["All"]', async () => {
  const { transport, client } = setup();
  const pods = client.resource<KubeObject>(PODS);
  transport.answer = () => ({ status: 200, body: { kind: 'Status', apiVersion: 'v1', status: 'Success' } });
  const result = await pods.delete('default', 'p');
  assert.equal((result as Status).status, 'Success');
  assert.equal(transport.last().method, 'DELETE');
  assert.equal(transport.last().url, '/api/v1/namespaces/default/pods/p');
  assert.equal(transport.last().body, undefined);

  await pods.delete('default', 'p', { gracePeriodSeconds: 0, propagationPolicy: 'Foreground', preconditions: { uid: 'u1', resourceVersion: '9' }, dryRun: true });
  assert.equal(transport.last().headers?.['content-type'], 'application/json');
  assert.deepEqual(transport.lastBody(), {
    kind: 'DeleteOptions',
    apiVersion: 'v1',
    gracePeriodSeconds: 0,
    propagationPolicy: 'Foreground',
    preconditions: { uid: 'u1', resourceVersion: '9' },
    dryRun: ['All'],
  });

  // dryRun is a list in DeleteOptions: false must not be sent as a boolean.
  await pods.delete('default', 'p', { propagationPolicy: 'Background', dryRun: false });
  assert.deepEqual(transport.lastBody(), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
});

test('deleteCollection: DELETE on the collection with the selectors; updateSubresource: PUT of the whole object', async () => {
  const { transport, client } = setup();
  const pods = client.resource<KubeObject>(PODS);
  transport.answer = () => ({ status: 200, body: { kind: 'PodList', items: [] } });
  await pods.deleteCollection('team-a', { propagationPolicy: 'Background' }, { labelSelector: 'app=web' });
  assert.equal(transport.last().method, 'DELETE');
  assert.deepEqual(split(transport.last().url), { path: '/api/v1/namespaces/team-a/pods', query: { labelSelector: 'app=web' } });
  assert.deepEqual(transport.lastBody(), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
  await pods.deleteCollection('team-a');
  assert.equal(transport.last().body, undefined);

  const namespaces = client.resource<KubeObject & { spec?: unknown }>({ group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false });
  transport.answer = () => ({ status: 200, body: { kind: 'Namespace', metadata: { name: 'team-a' } } });
  await namespaces.updateSubresource('', { metadata: { name: 'team-a' }, spec: { finalizers: [] } }, 'finalize', { fieldManager: 'm' });
  assert.equal(transport.last().method, 'PUT');
  assert.deepEqual(split(transport.last().url), { path: '/api/v1/namespaces/team-a/finalize', query: { fieldManager: 'm' } });
  assert.deepEqual(transport.lastBody(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' }, spec: { finalizers: [] } });
});

test('the rate limiter is awaited before each request and each watch', async () => {
  const log: string[] = [];
  const transport = new FakeTransport(log);
  let release: (() => void) | undefined;
  const signals: (AbortSignal | undefined)[] = [];
  const client = new RestClient(transport, {
    rateLimiter: {
      take: (signal) => {
        signals.push(signal);
        log.push('take');
        return new Promise<void>((resolve) => (release = resolve));
      },
    },
  });
  const pods = client.resource<KubeObject>(PODS);
  const controller = new AbortController();
  const pending = pods.get('default', 'p', controller.signal);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(log, ['take'], 'no request before the limiter lets it go');
  release?.();
  await pending;
  assert.deepEqual(log, ['take', 'request GET /api/v1/namespaces/default/pods/p']);
  assert.equal(signals[0], controller.signal);

  const watch = pods.watch('default', {})[Symbol.asyncIterator]();
  const first = watch.next();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(log.length, 3);
  assert.equal(log[2], 'take');
  release?.();
  await first;
  assert.equal(log[3], 'stream GET /api/v1/namespaces/default/pods?watch=true');
  assert.equal(client.namespace, 'default');
});

test('errors: a Status body becomes an ApiError carrying that Status', async () => {
  const { transport, client } = setup();
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "p" not found', reason: 'NotFound', details: { name: 'p', kind: 'pods' }, code: 404 };
  transport.answer = () => ({ status: 404, body: status });
  await assert.rejects(client.resource<KubeObject>(PODS).get('default', 'p'), (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 404);
    assert.equal(err.message, 'pods "p" not found');
    assert.equal(err.status.reason, 'NotFound');
    assert.deepEqual(err.status.details, { name: 'p', kind: 'pods' });
    return true;
  });

  // A watch that fails before streaming rejects the same way.
  transport.answer = () => ({ status: 403, body: { ...status, code: 403, reason: 'Forbidden', message: 'pods is forbidden' } });
  await assert.rejects(
    (async () => {
      for await (const _ of client.resource<KubeObject>(PODS).watch('', {})) {
        // nothing
      }
    })(),
    (err: unknown) => err instanceof ApiError && err.code === 403 && err.message === 'pods is forbidden',
  );

  // A Status without a code takes the response's.
  const e = errorFromResponse(409, Buffer.from(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Conflict', message: 'conflict' })));
  assert.equal(e.code, 409);
  assert.equal(e.status.reason, 'Conflict');
});

test('errors: a body that is no Status gives the upstream message and the reason of the code', () => {
  const cases: [number, string, string, string][] = [
    [404, '404 page not found', 'NotFound', 'the server could not find the requested resource'],
    [400, 'nope', 'BadRequest', 'the server rejected our request for an unknown reason'],
    [401, '', 'Unauthorized', 'the server has asked for the client to provide credentials'],
    [403, 'user "x" cannot get pods', 'Forbidden', 'user "x" cannot get pods'],
    [405, '', 'MethodNotAllowed', 'the server does not allow this method on the requested resource'],
    [409, 'conflict', 'Conflict', 'the server reported a conflict'],
    [422, 'bad', 'Invalid', 'the server rejected our request due to an error in our request'],
    [429, 'slow down', 'TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
    [500, 'boom', 'InternalError', 'an error on the server ("boom") has prevented the request from succeeding'],
    [502, '<html>bad gateway</html>', 'InternalError', 'an error on the server ("<html>bad gateway</html>") has prevented the request from succeeding'],
    [503, 'down', 'ServiceUnavailable', 'the server is currently unable to handle the request'],
    [504, '', 'Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'],
    [418, "I'm a teapot", '', 'the server responded with the status code 418 but did not return more information'],
  ];
  for (const [code, body, reason, message] of cases) {
    const err = errorFromResponse(code, Buffer.from(body));
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, code, `${code}`);
    assert.equal(err.status.reason, reason, `${code}`);
    assert.equal(err.message, message, `${code}`);
  }
  // A JSON body that is no Status is no Status.
  const notStatus = errorFromResponse(500, Buffer.from('{"kind":"Pod"}'));
  assert.equal(notStatus.status.reason, 'InternalError');
  assert.match(notStatus.message, /an error on the server \("\{\\"kind\\":\\"Pod\\"\}"\)/);
  // A conflict answering a POST is AlreadyExists, as upstream has it.
  assert.equal(errorFromResponse(409, Buffer.from(''), 'POST').status.reason, 'AlreadyExists');
});

test('a 429 is retried after its Retry-After, up to maxRetries, then surfaces as the ApiError', async () => {
  const t = new FakeTransport();
  let calls = 0;
  const busy = { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Too many requests, please try again later.', reason: 'TooManyRequests', code: 429 };
  t.answer = () => (++calls <= 2 ? { status: 429, body: busy, headers: { 'retry-after': '0' } } : { status: 200, body: { metadata: { name: 'p' } } });
  const client = new RestClient(t);
  const got = await client.resource<KubeObject>(PODS).get('default', 'p');
  assert.equal(got.metadata?.name, 'p');
  assert.equal(calls, 3);
  calls = -100;
  const limited = new RestClient(t, { maxRetries: 2 });
  const err = await limited.resource<KubeObject>(PODS).get('default', 'p').catch((e: unknown) => e);
  assert.ok(err instanceof ApiError);
  assert.equal(err.code, 429);
  assert.equal(calls, -97, 'the first try and two retries');
  t.answer = () => ({ status: 500, body: { kind: 'Status', code: 500, message: 'boom', reason: 'InternalError' } });
  const noRetry = await client.resource<KubeObject>(PODS).get('default', 'p').catch((e: unknown) => e);
  assert.equal((noRetry as ApiError).code, 500, 'a 500 without Retry-After is not retried');
});

test('requests in flight are capped at maxInflight; the rest wait their turn', async () => {
  let inflight = 0;
  let peak = 0;
  const release: (() => void)[] = [];
  const t: Transport = {
    async request() {
      inflight++;
      peak = Math.max(peak, inflight);
      await new Promise<void>((r) => release.push(r));
      inflight--;
      return { status: 200, headers: {}, body: Buffer.from('{}') };
    },
    stream: () => Promise.reject(new Error('unused')),
    close() {},
  };
  const client = new RestClient(t, { maxInflight: 3 });
  const all = Promise.all(Array.from({ length: 10 }, () => client.resource<KubeObject>(PODS).get('default', 'p')));
  for (let done = 0; done < 10; done++) {
    while (release.length === 0) await new Promise((r) => setImmediate(r));
    assert.ok(inflight <= 3, `${inflight} in flight`);
    release.shift()!();
  }
  await all;
  assert.equal(peak, 3);
});

test('updateEncoded PUTs the body as given and resolves with the answer undecoded; errors as for update', async () => {
  const t = new FakeTransport();
  const client = new RestClient(t, { userAgent: 'kubelet/v1.32.0' });
  const leases = client.kind<KubeObject>('coordination.k8s.io/v1', 'Lease');
  t.answer = () => ({ status: 200, body: '{"kind":"Lease","metadata":{"resourceVersion":"8"}}' });
  const body = '{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"resourceVersion":"7","name":"n"}}';
  const answer = await leases.updateEncoded('kube-node-lease', 'n', body);
  assert.equal(answer.toString(), '{"kind":"Lease","metadata":{"resourceVersion":"8"}}');
  const req = t.requests[0]!;
  assert.equal(req.method, 'PUT');
  assert.equal(req.url, '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n');
  assert.equal(req.body, body);
  assert.equal(req.headers?.['content-type'], 'application/json');
  assert.equal(req.headers?.['user-agent'], 'kubelet/v1.32.0');
  t.answer = () => ({ status: 409, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Conflict', message: 'modified', code: 409 } });
  await assert.rejects(leases.updateEncoded('kube-node-lease', 'n', body), (e: unknown) => e instanceof ApiError && e.reason === 'Conflict');
});
