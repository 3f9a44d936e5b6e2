// Shedding load (429 beyond the in-flight limits, system:masters exempt) and a graceful SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startApiserver } from '../support/skiff-process.js';

const skiff = new URL('../../../bin/skiff', import.meta.url).pathname;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function client(kubeconfig: string, maxSockets: number) {
  const kc = parse(readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  };
  const b64 = (s: string) => Buffer.from(s, 'base64');
  const agent = new Agent({
    keepAlive: true,
    maxSockets,
    ca: b64(kc.clusters[0]!.cluster['certificate-authority-data']),
    cert: b64(kc.users[0]!.user['client-certificate-data']),
    key: b64(kc.users[0]!.user['client-key-data']),
  });
  const url = new URL(kc.clusters[0]!.cluster.server);
  const call = (method: string, path: string, body?: string) =>
    new Promise<Reply>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path, method, agent, headers: body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {} }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on('error', reject);
      });
      req.setTimeout(20_000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });
  return { call, close: () => agent.destroy() };
}

test('beyond the in-flight limits a user gets 429 with Retry-After, masters do not, and service resumes', async () => {
  const server = await startApiserver({ args: ['--max-requests-inflight', '2', '--max-mutating-requests-inflight', '1'] });
  const floodConfig = join(server.dataDir, 'flood.yaml');
  execFileSync(process.execPath, [skiff, 'kubeconfig', '--data-dir', server.dataDir, '--user', 'flood', '--group', 'devs', '-o', floodConfig]);
  const flood = client(floodConfig, 64);
  const admin = client(server.kubeconfig, 64);
  try {
    // The flooding user may read ConfigMaps in default (RBAC): its requests are served or refused for load, not forbidden.
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'devs-view' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:aggregate-to-view' }, subjects: [{ kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' }] };
    assert.equal((await admin.call('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', JSON.stringify(binding))).status, 201);
    for (let i = 0; i < 200 && (await flood.call('GET', '/api/v1/namespaces/default/configmaps')).status !== 200; i++) await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => flood.call('GET', `/api/v1/namespaces/default/configmaps?limit=${i + 1}`)));
    const refused = replies.filter((r) => r.status === 429);
    assert.ok(refused.length > 0, 'some requests were refused');
    assert.ok(replies.every((r) => r.status === 200 || r.status === 429), replies.map((r) => r.status).join(','));
    assert.equal(refused[0]!.headers['retry-after'], '1');
    const status = JSON.parse(refused[0]!.body) as { reason: string; code: number; message: string };
    assert.deepEqual([status.reason, status.code], ['TooManyRequests', 429]);
    const masters = await Promise.all(Array.from({ length: 100 }, () => admin.call('GET', '/api/v1/namespaces')));
    assert.ok(masters.every((r) => r.status === 200), 'system:masters is exempt');
    let after: Reply | undefined;
    for (let i = 0; i < 100 && Date.now() - started < 10_000; i++) {
      after = await flood.call('GET', '/api/v1/namespaces/default/configmaps');
      if (after.status === 200) break;
    }
    assert.equal(after?.status, 200, 'the flooding user is served again within 10 s');
  } finally {
    flood.close();
    admin.close();
    await server.stop();
  }
});

test('SIGTERM under load loses no acknowledged write and resets no request in flight', async () => {
  const server = await startApiserver();
  const admin = client(server.kubeconfig, 8);
  const acked: string[] = [];
  const failures: string[] = [];
  let stop = false;
  let sent = 0;
  const writers = Array.from({ length: 8 }, async (_, w) => {
    for (let i = 0; !stop && i < 5000; i++) {
      const name = `w${w}-${i}`;
      sent++;
      try {
        const r = await admin.call('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name }, data: { i: String(i) } }));
        if (r.status === 201) acked.push(name);
        else failures.push(`${name}: ${r.status}`);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // Once the server stops accepting, new connections are refused: that is not a reset.
        if (code === 'ECONNREFUSED') return;
        failures.push(`${name}: ${code ?? (err as Error).message}`);
        return;
      }
    }
  });
  const deadline = Date.now() + 30_000;
  while (acked.length < 300 && failures.length === 0 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  assert.ok(acked.length >= 300, `only ${acked.length} writes before the deadline: ${failures.join(', ')}`);
  process.kill(server.pid, 'SIGTERM');
  const code = await server.exited;
  stop = true;
  await Promise.all(writers);
  admin.close();
  assert.equal(code, 0, server.output());
  assert.deepEqual(failures, [], `requests failed during shutdown (of ${sent} sent)`);

  const again = await startApiserver({ dataDir: server.dataDir });
  const check = client(again.kubeconfig, 4);
  try {
    const list = JSON.parse((await check.call('GET', '/api/v1/namespaces/default/configmaps')).body) as { items: { metadata: { name: string } }[] };
    const stored = new Set(list.items.map((i) => i.metadata.name));
    const lost = acked.filter((n) => !stored.has(n));
    assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged writes are gone`);
  } finally {
    check.close();
    await again.stop();
    await server.stop();
  }
});

test('a request still running after --request-timeout is answered 504', async () => {
  const server = await startApiserver({ args: ['--request-timeout', '1s'] });
  const admin = client(server.kubeconfig, 2);
  try {
    // A list not older than a future resourceVersion waits up to 3 s for the cache: long enough to time out.
    const started = Date.now();
    const res = await admin.call('GET', '/api/v1/namespaces/default/configmaps?resourceVersion=999999&resourceVersionMatch=NotOlderThan');
    assert.equal(res.status, 504, res.body);
    assert.ok(Date.now() - started < 2500, 'answered at the timeout, not when the handler gave up');
    const status = JSON.parse(res.body) as { reason: string; message: string };
    assert.equal(status.reason, 'Timeout');
    assert.match(status.message, /request did not complete within the allotted timeout/);
    assert.equal((await admin.call('GET', '/api/v1/namespaces')).status, 200, 'the server keeps serving');
  } finally {
    admin.close();
    await server.stop();
  }
});
