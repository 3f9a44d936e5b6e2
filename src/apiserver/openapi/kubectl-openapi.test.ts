// Real kubectl against a throwaway server that serves only discovery for pods and replicasets
// plus OpenApiService: explain reads our schemas, create's field-validation probe accepts them.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { allKinds } from '../../api/index.js';
import { kubectlBinary, kubectlSkipReason } from '../../../test/support/kubectl.js';
import { OpenApiService } from './openapi-service.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function discovery(path: string, serverAddress: string): unknown {
  switch (path) {
    case '/api':
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
    case '/apis':
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }],
      };
    case '/api/v1':
      return {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [{ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: VERBS, shortNames: ['po'] }],
      };
    case '/apis/apps/v1':
      return {
        kind: 'APIResourceList',
        groupVersion: 'apps/v1',
        resources: [{ name: 'replicasets', singularName: 'replicaset', namespaced: true, kind: 'ReplicaSet', verbs: VERBS, shortNames: ['rs'] }],
      };
    default:
      return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('kubectl against OpenApiService', () => {
  const openapi = new OpenApiService(allKinds());
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      requests.push(`${req.method ?? ''} ${url.pathname}${url.search}`);
      const address = server.address() as AddressInfo;
      const doc = discovery(url.pathname, `127.0.0.1:${address.port}`);
      if (req.method === 'POST' && url.pathname === '/api/v1/namespaces/default/pods') {
        const pod = JSON.parse(await readBody(req)) as { metadata: Record<string, unknown> };
        pod.metadata = { ...pod.metadata, namespace: 'default', uid: 'c0ffee', resourceVersion: '1' };
        res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify(pod));
        return;
      }
      if (doc !== undefined) {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(doc));
        return;
      }
      const answer = openapi.handle(url.pathname, url.searchParams, req.headers);
      if (answer === undefined) {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}');
        return;
      }
      res.writeHead(answer.status, answer.headers).end(answer.body);
    })();
  });
  let base = '';
  let home = '';

  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    home = mkdtempSync(join(tmpdir(), 'skiff-kubectl-'));
    writeFileSync(join(home, 'kubeconfig'), '');
  });

  after(() => {
    server.close();
    if (home !== '') rmSync(home, { recursive: true, force: true });
  });

  async function kubectl(version: string, args: string[]): Promise<string> {
    const binary = kubectlBinary(version);
    assert.ok(binary, `kubectl.${version} is required (REQUIRE_KUBECTL=1) but was not found`);
    const cacheDir = mkdtempSync(join(home, `cache-${version}-`));
    const env = { PATH: process.env.PATH ?? '', HOME: home, KUBECONFIG: join(home, 'kubeconfig') };
    const argv = [...args, '--server', base, '--cache-dir', cacheDir];
    return new Promise((resolve, reject) => {
      execFile(binary, argv, { env, timeout: 60_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`kubectl.${version} ${argv.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
        else resolve(stdout);
      });
    });
  }

  test('kubectl 1.33 explain pods.spec.containers prints the Container documentation', { skip: kubectlSkipReason('1.33') }, async () => {
    const out = await kubectl('1.33', ['explain', 'pods.spec.containers']);
    assert.match(out, /DESCRIPTION:/);
    assert.match(out, /A single application container/);
    assert.match(out, /^\s+image\s+<string>/m);
    assert.match(out, /^\s+ports\s+<\[\]ContainerPort>/m);
  });

  test('kubectl 1.33 explain replicaset.spec.replicas shows an integer field of apps/v1', { skip: kubectlSkipReason('1.33') }, async () => {
    const out = await kubectl('1.33', ['explain', 'rs.spec.replicas']);
    assert.match(out, /GROUP:\s+apps/);
    assert.match(out, /replicas\s+<integer>/);
  });

  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  for (const minor of [27, 28, 29, 30, 31, 32, 33]) {
    const version = `1.${minor}`;
    test(`kubectl ${version} create -f (--validate=strict) posts the pod`, { skip: kubectlSkipReason(version) }, async () => {
      const file = join(home, `pod-${version}.json`);
      writeFileSync(file, JSON.stringify(pod));
      const seen = requests.length;
      const out = await kubectl(version, ['create', '-f', file, '-n', 'default']);
      assert.match(out, /pod\/p created/);
      const post = requests.slice(seen).find((r) => r.startsWith('POST /api/v1/namespaces/default/pods'));
      assert.ok(post, `no POST among ${requests.slice(seen).join(', ')}`);
      if (minor >= 29) assert.match(post, /fieldValidation=Strict/);
    });
  }
});
