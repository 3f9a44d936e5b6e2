// A Job on a process-runtime node: `skiff apiserver`, `controller-manager`, `scheduler` and `skiff kubelet --runtime
// process` as separate processes. Its Pods are real `sh` processes; kubectl 1.27 and 1.33 wait for the Job to complete
// and read `done` from its log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startControllerManager, startKubelet, startScheduler, type ComponentProcess } from '../support/component-process.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { killRuntimeProcesses } from '../support/process-runtime-cleanup.js';
import { kubectl, type Kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';

const NODE = 'jobs-1';
const VERSIONS = ['1.27', '1.33'] as const;
const skip = VERSIONS.map(kubectlSkipReason).find((r) => r !== undefined);

function job(name: string, script: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { ...extra, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', script] }] } } },
  });
}

describe('Jobs on a process-runtime node', { skip }, () => {
  let server: SkiffProcess;
  const components: ComponentProcess[] = [];
  const k: Kubectl[] = [];

  before(async () => {
    server = await startApiserver();
    components.push(await startControllerManager(server.dataDir, ['--job-pod-failure-backoff', '1s']));
    components.push(await startScheduler(server.dataDir));
    components.push(await startKubelet(server.dataDir, NODE, ['--runtime', 'process', '--port', '0']));
    for (const v of VERSIONS) k.push(kubectl(v, server.kubeconfig));
  });
  after(async () => {
    await k[1]?.run(['delete', 'jobs', '--all', '--timeout=30s']);
    for (const c of components.reverse()) await c.stop();
    killRuntimeProcesses(`${server.dataDir}/kubelet/${NODE}`);
    for (const x of k) x.cleanup();
    await server?.stop();
  });

  for (const [i, version] of VERSIONS.entries()) {
    test(`kubectl ${version}: completions 3, parallelism 2 of sh -c 'echo done' completes; wait returns; logs job/x shows done`, async () => {
      const kc = k[i]!;
      const name = `echo-${i}`;
      await kc.ok(['create', '-f', '-'], { input: job(name, 'echo done', { completions: 3, parallelism: 2 }) });
      await kc.ok(['wait', '--for=condition=complete', `job/${name}`, '--timeout=60s']);
      assert.match(await kc.ok(['get', 'job', name]), new RegExp(`${name}\\s+Complete\\s+3/3\\s`));
      assert.equal((await kc.ok(['logs', `job/${name}`])).trim(), 'done');
      const pods = (await kc.ok(['get', 'pods', '-l', `job-name=${name}`, '-o', 'jsonpath={range .items[*]}{.status.phase} {.status.containerStatuses[0].state.terminated.exitCode}{"\\n"}{end}'])).trim().split('\n');
      assert.deepEqual(pods, ['Succeeded 0', 'Succeeded 0', 'Succeeded 0']);
    });
  }

  test('a container exiting 1 with backoffLimit 2 fails the Job after 3 Pods (BackoffLimitExceeded)', async () => {
    await k[1]!.ok(['create', '-f', '-'], { input: job('fails', 'echo trying; exit 1', { backoffLimit: 2 }) });
    await k[1]!.ok(['wait', '--for=condition=failed', 'job/fails', '--timeout=90s']);
    const reason = await k[1]!.ok(['get', 'job', 'fails', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].reason}']);
    assert.equal(reason, 'BackoffLimitExceeded');
    const exits = (await k[1]!.ok(['get', 'pods', '-l', 'job-name=fails', '-o', 'jsonpath={range .items[*]}{.status.containerStatuses[0].state.terminated.exitCode}{"\\n"}{end}'])).trim().split('\n');
    assert.deepEqual(exits, ['1', '1', '1']);
  });
});
