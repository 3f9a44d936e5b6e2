// `skiff server` (what `npm start` runs) serves the API with the defaults a newcomer gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';
import { startApiserver } from '../support/skiff-process.js';

test('skiff server starts on SQLite, writes an admin kubeconfig and takes the seed ReplicaSet', { skip: kubectlSkipReason('1.33') }, async () => {
  const server = await startApiserver({ command: 'server' });
  const k = kubectl('1.33', server.kubeconfig);
  try {
    assert.match(server.output(), /skiff server: serving https:\/\/127\.0\.0\.1:\d+ \(ready in \d+ ms\)/);
    assert.match(server.output(), /export KUBECONFIG=/);
    const manifest = new URL('../../../examples/replicaset.yaml', import.meta.url).pathname;
    assert.match(await k.ok(['create', '-f', manifest]), /replicaset.apps\/my-replicaset created/);
    assert.match(await k.ok(['get', 'rs']), /my-replicaset/);
  } finally {
    k.cleanup();
    await server.stop();
  }
});
