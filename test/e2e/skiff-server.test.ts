// `skiff server` (what `npm start` runs) serves the API with the defaults a newcomer gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';
import { startApiserver } from '../support/skiff-process.js';

test('skiff server starts on SQLite, writes an admin kubeconfig, and its controllers, scheduler and kubelet take the seed ReplicaSet to two Running Pods', { skip: kubectlSkipReason('1.33') }, async () => {
  const server = await startApiserver({ command: 'server' });
  const k = kubectl('1.33', server.kubeconfig);
  try {
    assert.match(server.output(), /skiff server: serving https:\/\/127\.0\.0\.1:\d+ \(ready in \d+ ms\)/);
    assert.match(server.output(), /export KUBECONFIG=/);
    const manifest = new URL('../../../examples/replicaset.yaml', import.meta.url).pathname;
    assert.match(await k.ok(['create', '-f', manifest]), /replicaset.apps\/my-replicaset created/);
    await k.ok(['wait', '--for=jsonpath={.status.replicas}=2', 'rs/my-replicaset', '--timeout=30s']);
    const pods = await k.ok(['get', 'pods', '--no-headers']);
    const names = pods.trim().split('\n').map((l) => l.split(/\s+/)[0]);
    assert.equal(names.length, 2, pods);
    for (const name of names) assert.match(name ?? '', /^my-replicaset-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const creator = await k.ok(['get', 'pod', names[0]!, '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields[0].manager} {.metadata.managedFields[0].operation}']);
    assert.equal(creator, 'kube-controller-manager Update');
    // The in-process scheduler binds them to the simulated node and its kubelet runs them.
    await k.ok(['wait', '--for=condition=Ready', 'pod', '-l', 'app=my-app', '--timeout=30s']);
    const wide = await k.ok(['get', 'pods', '-o', 'wide', '--no-headers']);
    for (const line of wide.trim().split('\n')) assert.match(line, /^my-replicaset-\S+\s+1\/1\s+Running\s+0\s+\S+\s+\S+\s+\S+/, wide);
    assert.match(await k.ok(['get', 'events']), /Scheduled\s+pod\/my-replicaset-\S+\s+Successfully assigned default\/my-replicaset-\S+ to /);
    assert.match(await k.ok(['get', 'events']), /SuccessfulCreate\s+replicaset\/my-replicaset\s+Created pod: my-replicaset-/);
    // Every in-process component called the API as itself, and RBAC and the Node authorizer let it do its work.
    const nodeOf = new Map(wide.trim().split('\n').map((l) => [l.split(/\s+/)[0]!, l.split(/\s+/)[6]!]));
    type Audit = { verb: string; user: { username: string }; objectRef?: { resource?: string; name?: string; subresource?: string }; responseStatus?: { code?: number } };
    let events: Audit[] = [];
    const deadline = Date.now() + 10_000;
    const statusWriters = () => events.filter((e) => e.objectRef?.resource === 'pods' && e.objectRef.subresource === 'status' && nodeOf.has(e.objectRef.name ?? ''));
    for (let i = 0; statusWriters().length < 2; i++) {
      assert.ok(Date.now() < deadline && i < 500, 'the kubelets\' status writes are audited');
      await new Promise((r) => setTimeout(r, 20));
      events = readFileSync(join(server.dataDir, 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Audit);
    }
    for (const e of statusWriters()) assert.equal(e.user.username, `system:node:${nodeOf.get(e.objectRef!.name!)!}`);
    const users = new Set(events.map((e) => e.user.username));
    for (const u of ['system:kube-controller-manager', 'system:kube-scheduler', 'system:skiff:simulated-nodes', 'system:node:node-1', 'admin']) assert.ok(users.has(u), `${u} in ${[...users].join(', ')}`);
    assert.deepEqual(events.filter((e) => e.responseStatus?.code === 403).map((e) => `${e.user.username} ${e.verb} ${e.objectRef?.resource ?? ''}`), [], 'nothing was forbidden');
  } finally {
    k.cleanup();
    await server.stop();
  }
});
