// `skiff server` serves kubectl logs from its in-process kubelets through one HTTPS endpoint: the simulated runtime's
// lines (a line per start), and with --runtime process, what a real process wrote. A separate `skiff kubelet
// --runtime simulated --port 0` serves its simulated nodes' logs the same way.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startKubelet, type ComponentProcess } from '../support/component-process.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { killRuntimeProcesses } from '../support/process-runtime-cleanup.js';
import { kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';
import { until } from '../support/until.js';

const VERSIONS = ['1.27', '1.33'] as const;
const skip = VERSIONS.map(kubectlSkipReason).find((r) => r !== undefined);

describe('skiff server: kubectl logs from the in-process kubelets', { skip }, () => {
  const servers: SkiffProcess[] = [];
  const kubelets: ComponentProcess[] = [];
  after(async () => {
    for (const k of kubelets) await k.stop();
    for (const s of servers) {
      killRuntimeProcesses(`${s.dataDir}/kubelet/node-1`);
      await s.stop();
    }
  });

  test('simulated nodes: a line per container start, served on the Node’s kubelet port', async () => {
    const server = await startApiserver({ command: 'server', args: ['--nodes', '2'] });
    servers.push(server);
    for (const version of VERSIONS) {
      const k = kubectl(version, server.kubeconfig);
      try {
        const name = `web-${version.replace('.', '')}`;
        await k.ok(['run', name, '--image=nginx']);
        await k.ok(['wait', '--for=condition=Ready', `pod/${name}`, '--timeout=30s']);
        assert.equal(await k.ok(['logs', name]), `simulated container ${name} started (attempt 0)\n`);
        const node = await k.ok(['get', 'node', 'node-1', '-o', 'jsonpath={.status.daemonEndpoints.kubeletEndpoint.Port}']);
        assert.ok(Number(node) > 0 && Number(node) !== 10250, node);
        await k.ok(['delete', 'pod', name]);
      } finally {
        k.cleanup();
      }
    }
  });

  test('--runtime process: one node whose containers are processes; logs and logs -f', async () => {
    const server = await startApiserver({ command: 'server', args: ['--nodes', '1', '--runtime', 'process'] });
    servers.push(server);
    const k = kubectl('1.33', server.kubeconfig);
    try {
      await k.ok(['run', 'hi', '--image=none', '--command', '--', 'sh', '-c', 'echo hi from a process; while true; do sleep 1; done']);
      await k.ok(['wait', '--for=condition=Ready', 'pod/hi', '--timeout=30s']);
      assert.match(await k.ok(['get', 'pod', 'hi', '-o', 'wide']), /hi\s+1\/1\s+Running\s+0\s+\S+\s+127\.0\.0\.1\s+node-1\s/);
      await until('the log line', async () => (await k.ok(['logs', 'hi'])) === 'hi from a process\n');
      const follow = k.start(['logs', '-f', 'hi']);
      try {
        await follow.waitFor(/^hi from a process$/);
      } finally {
        follow.stop();
      }
      await k.ok(['delete', 'pod', 'hi', '--grace-period=1']);
    } finally {
      k.cleanup();
    }
  });

  test('skiff kubelet --runtime simulated --port 0: the simulated nodes’ logs through skiff apiserver', async () => {
    const server = await startApiserver();
    servers.push(server);
    kubelets.push(await startKubelet(server.dataDir, 'sim', ['--simulated-nodes', '2', '--port', '0']));
    const k = kubectl('1.27', server.kubeconfig);
    try {
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bound' }, spec: { nodeName: 'sim-2', containers: [{ name: 'c', image: 'nginx' }] } };
      await k.ok(['create', '-f', '-'], { input: JSON.stringify(pod) });
      await k.ok(['wait', '--for=condition=Ready', 'pod/bound', '--timeout=30s']);
      assert.equal(await k.ok(['logs', 'bound']), 'simulated container c started (attempt 0)\n');
      assert.match(await k.ok(['get', 'node', 'sim-2', '-o', 'jsonpath={.status.addresses[0].address}']), /^127\.0\.0\.1$/);
      await k.ok(['delete', 'pod', 'bound']);
    } finally {
      k.cleanup();
    }
  });
});
