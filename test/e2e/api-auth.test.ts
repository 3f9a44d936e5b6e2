// The API server's authentication and its error answers, over raw HTTPS against the real `skiff apiserver`
// process, on both storage backends. Expectations are upstream kube-apiserver v1.32's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateAuthority } from '../../src/apiserver/index.js';
import { assertAuditIds, BACKENDS, backendSkipReason, startApiCluster, uniqueSuffix, type ApiCluster } from '../support/api-cluster.js';
import { HttpsClient, type HttpResponse } from '../support/https-client.js';

const skiffBin = new URL('../../../bin/skiff', import.meta.url).pathname;
const CM = '/api/v1/namespaces/default/configmaps';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** upstream's Status for a failed request (metav1.Status as Go serialises it). */
function assertStatus(res: HttpResponse, code: number, reason: string | undefined, message?: string | RegExp): Record<string, any> {
  assert.equal(res.status, code, `expected ${code}, got ${res.status}: ${res.body}`);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const status = res.json<Record<string, any>>();
  assert.equal(status.kind, 'Status', res.body);
  assert.equal(status.apiVersion, 'v1');
  assert.equal(status.status, 'Failure');
  assert.equal(status.code, code);
  assert.equal(status.reason, reason, res.body);
  if (typeof message === 'string') assert.equal(status.message, message);
  else if (message) assert.match(status.message, message);
  return status;
}

const NOT_FOUND_STATUS = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'the server could not find the requested resource',
  reason: 'NotFound',
  details: {},
  code: 404,
};

for (const backend of BACKENDS) {
  describe(`authentication on ${backend}`, { skip: backendSkipReason(backend) }, () => {
    let cluster: ApiCluster;
    let tokenCluster: ApiCluster;
    let tmp: string;
    const clients: HttpsClient[] = [];
    const track = (c: HttpsClient) => (clients.push(c), c);

    before(async () => {
      tmp = mkdtempSync(join(tmpdir(), 'skiff-auth-'));
      cluster = await startApiCluster(backend);
      const tokenFile = join(tmp, 'tokens.csv');
      writeFileSync(tokenFile, 'valid-token-0123456789,bob,1001,"ops,devs"\n');
      tokenCluster = await startApiCluster(backend, ['--token-auth-file', tokenFile], cluster.etcd);
      track(cluster.admin);
      track(tokenCluster.admin);
    });
    after(async () => {
      for (const c of clients) c.close();
      await tokenCluster?.stop();
      await cluster?.stop();
      rmSync(tmp, { recursive: true, force: true });
    });

    test('a request with no client certificate and no token is 401 with a Status body', async () => {
      const anonymous = track(cluster.admin.withCredentials({}));
      const res = await anonymous.get('/api/v1/namespaces');
      assert.equal(res.status, 401);
      assert.deepEqual(res.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    });

    test('/healthz, /livez, /readyz and /version answer without credentials', async () => {
      const anonymous = track(cluster.admin.withCredentials({}));
      for (const path of ['/healthz', '/livez', '/readyz']) {
        const res = await anonymous.get(path);
        assert.equal(res.status, 200, `${path}: ${res.body}`);
        assert.equal(res.body, 'ok');
      }
      const version = await anonymous.get('/version');
      assert.equal(version.status, 200);
      const info = version.json<Record<string, string>>();
      assert.equal(info.gitVersion, 'v1.32.0+skiff');
      assert.equal(info.major, '1');
      assert.equal(info.minor, '32');
    });

    test('a client certificate from another CA is 401', async () => {
      const otherCa = await CertificateAuthority.create({ commonName: 'not-the-cluster-ca' });
      const { certPem, keyPem } = await otherCa.mintClientCertificate({ user: 'mallory', groups: ['system:masters'] });
      const mallory = track(cluster.admin.withCredentials({ cert: certPem, key: keyPem }));
      assertStatus(await mallory.get('/api/v1/namespaces'), 401, 'Unauthorized', 'Unauthorized');
    });

    test('a kubeconfig minted by `skiff kubeconfig --user alice --group devs` authenticates', async () => {
      const file = join(tmp, `alice-${backend}.yaml`);
      execFileSync(process.execPath, [skiffBin, 'kubeconfig', '--data-dir', cluster.server.dataDir, '--user', 'alice', '--group', 'devs', '-o', file]);
      const alice = track(HttpsClient.fromKubeconfig(file));
      const review = await alice.post('/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
      assert.equal(review.status, 201, review.body);
      assert.deepEqual(review.json().status.userInfo, { username: 'alice', groups: ['devs', 'system:authenticated'] });
      assert.equal((await alice.get('/apis')).status, 200, 'system:discovery is every authenticated user\'s');
      // Authenticated, but RBAC grants alice nothing more.
      assertStatus(await alice.get('/api/v1/namespaces'), 403, 'Forbidden', 'namespaces is forbidden: User "alice" cannot list resource "namespaces" in API group "" at the cluster scope');
    });

    test('--token-auth-file: a valid bearer token is accepted, a wrong one is 401', async () => {
      const bob = track(tokenCluster.admin.withCredentials({ token: 'valid-token-0123456789' }));
      const ok = await bob.post('/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
      assert.equal(ok.status, 201, ok.body);
      assert.deepEqual(ok.json().status.userInfo, { username: 'bob', uid: '1001', groups: ['ops', 'devs', 'system:authenticated'] });
      const wrong = track(tokenCluster.admin.withCredentials({ token: 'wrong-token' }));
      assertStatus(await wrong.get('/api/v1/namespaces'), 401, 'Unauthorized', 'Unauthorized');
      const none = track(tokenCluster.admin.withCredentials({}));
      assertStatus(await none.get('/api/v1/namespaces'), 401, 'Unauthorized', 'Unauthorized');
      // The client certificate still works next to the token file.
      assert.equal((await tokenCluster.admin.get('/api/v1/namespaces')).status, 200);
    });

    test('every response carried an Audit-Id header', () => {
      assert.ok(clients.reduce((n, c) => n + c.responses.length, 0) > 10);
      for (const c of clients) assertAuditIds(c);
    });
  });

  describe(`error answers on ${backend}`, { skip: backendSkipReason(backend) }, () => {
    let cluster: ApiCluster;
    let api: HttpsClient;
    const s = uniqueSuffix();

    before(async () => {
      cluster = await startApiCluster(backend);
      api = cluster.admin;
    });
    after(async () => {
      await cluster?.stop();
    });

    test('an unknown path is 404 with upstream NotFound Status', async () => {
      assert.deepEqual((await api.get(`${CM}/x/bogus-subresource`)).json(), NOT_FOUND_STATUS);
      assert.equal((await api.get(`${CM}/x/bogus-subresource`)).status, 404);
      // Outside /api and /apis upstream's last handler is http.NotFound (a text body): only the code is compared.
      assert.equal((await api.get('/nope/not/here')).status, 404);
    });

    test('an unknown resource is 404 with upstream NotFound Status', async () => {
      for (const path of ['/api/v1/foos', '/api/v1/namespaces/default/foos/x', '/apis/apps/v1/namespaces/default/foos']) {
        const res = await api.get(path);
        assert.equal(res.status, 404, path);
        assert.deepEqual(res.json(), NOT_FOUND_STATUS, path);
      }
    });

    test('a malformed JSON body is 400 BadRequest', async () => {
      assertStatus(await api.post(CM, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"broken"'), 400, 'BadRequest');
    });

    test('a body over 3 MiB is 413 RequestEntityTooLarge', async () => {
      const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `big-${s}` }, data: { x: 'a'.repeat(3 * 1024 * 1024) } });
      assertStatus(await api.post(CM, big), 413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
      assert.equal((await api.get(`${CM}/big-${s}`)).status, 404);
    });

    test('Content-Type text/plain is 415 UnsupportedMediaType', async () => {
      const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `plain-${s}` } });
      const status = assertStatus(await api.post(CM, body, { contentType: 'text/plain' }), 415, 'UnsupportedMediaType');
      assert.match(status.message, /^the body of the request was in an unknown format - accepted media types include: application\/json, application\/yaml/);
    });

    test('fieldValidation=Strict with an unknown field is 400 naming it', async () => {
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `strict-${s}` }, spec: { foo: 1, containers: [{ name: 'c', image: 'nginx' }] } };
      const status = assertStatus(await api.post('/api/v1/namespaces/default/pods?fieldValidation=Strict', pod), 400, 'BadRequest');
      assert.match(status.message, /strict decoding error: unknown field "spec\.foo"/);
    });

    test('fieldValidation=Strict with a duplicate field is 400 naming it', async () => {
      const raw = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup-a-${s}","name":"dup-b-${s}"},"data":{"k":"v"}}`;
      const status = assertStatus(await api.post(`${CM}?fieldValidation=Strict`, raw), 400, 'BadRequest');
      assert.match(status.message, /strict decoding error: .*duplicate field "metadata\.name"/);
    });

    test('fieldValidation=Warn creates the object (201) and answers with a Warning header', async () => {
      const res = await api.post(`${CM}?fieldValidation=Warn`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `warn-${s}` }, foo: 1 });
      assert.equal(res.status, 201, res.body);
      assert.match(String(res.headers.warning), /^299 - "unknown field \\"foo\\""/);
      assert.equal(res.json().foo, undefined, 'the unknown field is dropped');
    });

    test('an invalid name is 422 Invalid with a cause for metadata.name', async () => {
      const status = assertStatus(await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } }), 422, 'Invalid');
      assert.match(
        status.message,
        /^ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '\.', and must start and end with an alphanumeric character/,
      );
      assert.equal(status.details.name, 'Bad_Name');
      assert.equal(status.details.kind, 'ConfigMap');
      assert.ok(
        (status.details.causes as { field: string; reason: string }[]).some((c) => c.field === 'metadata.name' && c.reason === 'FieldValueInvalid'),
        JSON.stringify(status.details.causes),
      );
    });

    test('creating in a missing namespace is 404 namespaces "nope" not found', async () => {
      const status = assertStatus(
        await api.post('/api/v1/namespaces/nope/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
        404,
        'NotFound',
        'namespaces "nope" not found',
      );
      assert.deepEqual(status.details, { name: 'nope', kind: 'namespaces' });
    });

    test('creating with metadata.resourceVersion set is refused with upstream\'s storage error', async () => {
      // upstream answers this with a 500 (storage.ErrResourceVersionSetOnCreate passes through as an unknown
      // error); a bad request is never a 500 here, so Skiff keeps upstream's message with 400 BadRequest.
      const res = await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `rv-${s}`, resourceVersion: '5' } });
      assertStatus(res, 400, 'BadRequest', 'resourceVersion should not be set on objects to be created');
      assert.equal((await api.get(`${CM}/rv-${s}`)).status, 404);
    });

    test('PUT with a stale resourceVersion is 409 with upstream\'s exact message', async () => {
      const name = `x-${s}`;
      const created = await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v: '1' } });
      assert.equal(created.status, 201, created.body);
      const v1 = created.json();
      const v2 = await api.put(`${CM}/${name}`, { ...v1, data: { v: '2' } });
      assert.equal(v2.status, 200, v2.body);
      const status = assertStatus(
        await api.put(`${CM}/${name}`, { ...v1, data: { v: '3' } }),
        409,
        'Conflict',
        `Operation cannot be fulfilled on configmaps "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
      assert.deepEqual(status.details, { name, kind: 'configmaps' });
      assert.deepEqual((await api.get(`${CM}/${name}`)).json().data, { v: '2' });
    });

    test('PUT whose body names another object than the URL is 400', async () => {
      const name = `named-${s}`;
      assert.equal((await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } })).status, 201);
      assertStatus(
        await api.put(`${CM}/${name}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `other-${s}` } }),
        400,
        'BadRequest',
        `the name of the object (other-${s}) does not match the name on the URL (${name})`,
      );
    });

    test('a body whose apiVersion does not match the endpoint is 400', async () => {
      const status = assertStatus(await api.post(CM, { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: `gv-${s}` } }), 400, 'BadRequest');
      assert.match(status.message, /apps\/v1/);
      assert.equal((await api.get(`${CM}/gv-${s}`)).status, 404);
    });

    test('every response carried an Audit-Id header', () => {
      assert.ok(api.responses.length > 15);
      assertAuditIds(api);
    });
  });
}
