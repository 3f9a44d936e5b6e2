// `skiff server` (what `npm start` runs) serves the API with the defaults a newcomer gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';
import { startApiserver } from '../support/skiff-process.js';

test('skiff server starts on SQLite, writes an admin kubeconfig, and its controllers turn the seed ReplicaSet into Pods', { skip: kubectlSkipReason('1.33') }, async () => {
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
    const managers = await k.ok(['get', 'pod', names[0]!, '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields[*].manager}']);
    assert.equal(managers, 'kube-controller-manager');
    assert.match(await k.ok(['get', 'events']), /SuccessfulCreate\s+replicaset\/my-replicaset\s+Created pod: my-replicaset-/);
  } finally {
    k.cleanup();
    await server.stop();
  }
});
