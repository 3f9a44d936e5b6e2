// The CRI runtime against a real containerd (test/support/containerd.ts: one per file, shared): the runtime contract
// suite, then `skiff server --runtime cri` driven by kubectl 1.27 and 1.33 — a ReplicaSet of busybox `httpd -f` on a
// hostNetwork port and on a CNI bridge (the Pod's own IP, after checking the route), logs, restarts and
// CrashLoopBackOff, ErrImageNeverPull, graceful deletion (SIGTERM reaches the container's process), and nothing left
// in containerd once the ReplicaSets are deleted. Skips with a reason where containerd cannot run (REQUIRE_CRI=1 fails).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Http2Transport, loadClientConfig, RestClient, type ResourceClient } from '../../src/client/index.js';
import { type ContainerRuntime, CriClient, CriRuntime, NotFoundError, type PodSandboxConfig } from '../../src/kubelet/index.js';
import { BUSYBOX_IMAGE, type Containerd, containerdSkipReason, routesThrough, startContainerd } from '../support/containerd.js';
import { type ComponentProcess, startKubelet } from '../support/component-process.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { runtimeContract } from '../support/runtime-contract.js';
import { kubectl, type Kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';
import { until } from '../support/until.js';

const VERSIONS = ['1.27', '1.33'] as const;
const criSkip = containerdSkipReason();
const kubectlSkip = VERSIONS.map(kubectlSkipReason).find((r) => r !== undefined);
const EXIT_ANNOTATION = 'skiff-test/exit-';

let pending: Promise<Containerd> | undefined;
const shared = () => (pending ??= startContainerd());
after(async () => {
  if (pending) await (await pending).stop();
});

/**
 * The CRI runtime as the contract suite drives it: there is no registry, so every image it names is the offline
 * busybox image, and a container whose Pod asks it to exit runs `sleep; exit`.
 */
function contractView(rt: CriRuntime): ContainerRuntime {
  const local = async () => (await rt.imageStatus(BUSYBOX_IMAGE))!;
  return Object.assign(Object.create(rt) as CriRuntime, {
    pullImage: async () => (await local()).id,
    imageStatus: async () => local(),
    createContainer: (sandboxId: string, config: Parameters<CriRuntime['createContainer']>[1], sandbox: Parameters<CriRuntime['createContainer']>[2]) => {
      const exit = sandbox.annotations?.[`${EXIT_ANNOTATION}${config.name}`];
      const [code, ms] = (exit ?? '').split(':');
      const command = exit ? ['sh', '-c', `sleep ${Number(ms) / 1000}; exit ${code}`] : config.command;
      return rt.createContainer(sandboxId, { ...config, image: BUSYBOX_IMAGE, command }, sandbox);
    },
  });
}

if (criSkip) {
  describe('the CRI runtime with containerd', { skip: criSkip }, () => {});
} else {
  let node = 0;
  runtimeContract('cri (containerd)', async () => {
    const containerd = await shared();
    const dir = mkdtempSync(join(tmpdir(), 'skiff-cri-contract-'));
    const rt = new CriRuntime({ endpoint: containerd.endpoint, nodeName: `contract-${++node}`, rootDir: dir, hostIP: '127.0.0.1', relistIntervalMs: 200 });
    return {
      runtime: contractView(rt),
      elapse: (ms) => new Promise((r) => setTimeout(r, ms)),
      exitingAnnotations: (name, code, afterMs) => ({ [`${EXIT_ANNOTATION}${name}`]: `${code}:${afterMs}` }),
      close: async () => {
        for (const s of await rt.listPodSandboxes()) await rt.removePodSandbox(s.id);
        rt.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
}

describe('CriRuntime beyond the contract', { skip: criSkip }, () => {
  let containerd: Containerd;
  let rt: CriRuntime;
  let dir: string;
  const config = (name: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig => ({ metadata: { name, namespace: 'ns', uid: randomUUID(), attempt: 0 }, ...extra });

  before(async () => {
    containerd = await shared();
    dir = mkdtempSync(join(tmpdir(), 'skiff-cri-more-'));
    rt = new CriRuntime({ endpoint: containerd.endpoint, nodeName: 'more', rootDir: dir, hostIP: '127.0.0.1' });
  });

  after(async () => {
    for (const s of (await rt?.listPodSandboxes()) ?? []) await rt.removePodSandbox(s.id);
    rt?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('status, images, a hostNetwork sandbox with the node’s IP, exec, stats, a host directory mounted; another node’s sandbox is not found', async () => {
    assert.deepEqual((await rt.status()).map((c) => [c.type, c.status]), [['RuntimeReady', true], ['NetworkReady', true]]);
    assert.ok((await rt.listImages()).some((i) => i.repoTags.includes(BUSYBOX_IMAGE)));
    const sandboxConfig = config('exec', { linux: { namespaceOptions: { network: 'NODE' } } });
    const sandbox = await rt.runPodSandbox(sandboxConfig);
    assert.deepEqual((await rt.podSandboxStatus(sandbox)).ips, ['127.0.0.1']);
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    const imageRef = (await rt.imageStatus(BUSYBOX_IMAGE))!.id;
    const id = await rt.createContainer(sandbox, { name: 'c', attempt: 0, image: BUSYBOX_IMAGE, imageRef, mounts: [{ containerPath: '/shared', hostPath: shared, readOnly: false }], envs: [{ key: 'GREETING', value: 'hi' }] }, sandboxConfig);
    await rt.startContainer(id);
    const ran = await rt.execSync(id, ['sh', '-c', 'echo "$GREETING" > /shared/out; echo out; echo err >&2; exit 4'], 10);
    assert.deepEqual(ran, { exitCode: 4, stdout: 'out\n', stderr: 'err\n' });
    assert.equal(readFileSync(join(shared, 'out'), 'utf8'), 'hi\n');
    const slow = await rt.execSync(id, ['sleep', '10'], 1);
    assert.equal(slow.timedOut, true);
    const stats = await rt.containerStats(id);
    assert.ok(stats.memoryWorkingSetBytes > 0, JSON.stringify(stats));
    const other = new CriRuntime({ endpoint: containerd.endpoint, nodeName: 'someone-else', rootDir: dir, hostIP: '127.0.0.1' });
    try {
      await assert.rejects(other.podSandboxStatus(sandbox), NotFoundError);
      await assert.rejects(other.containerStatus(id), NotFoundError);
      await other.removePodSandbox(sandbox);
      assert.deepEqual(await other.listPodSandboxes(), []);
    } finally {
      other.close();
    }
    assert.equal((await rt.containerStatus(id)).state, 'CONTAINER_RUNNING', 'untouched by the other node');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.once('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.once('error', reject);
  });
}

const replicaSet = (name: string, hostNetwork: boolean, port: number) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          hostNetwork,
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'httpd', image: 'skiff-test/busybox:1', command: ['httpd', '-f', '-p', `${hostNetwork ? '127.0.0.1:' : ''}${port}`, '-h', '/var/www'], ports: [{ containerPort: port }] }],
        },
      },
    },
  });

const podJson = (name: string, script: string, extra: { image?: string; imagePullPolicy?: string; grace?: number; nodeName?: string } = {}) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      terminationGracePeriodSeconds: extra.grace ?? 30,
      ...(extra.nodeName ? { nodeName: extra.nodeName } : {}),
      containers: [{ name: 'c', image: extra.image ?? 'skiff-test/busybox:1', imagePullPolicy: extra.imagePullPolicy, command: ['sh', '-c', script] }],
    },
  });

describe('skiff server --runtime cri (containerd) with kubectl 1.27 and 1.33', { skip: criSkip ?? kubectlSkip }, () => {
  let containerd: Containerd;
  let server: SkiffProcess;
  let transport: Http2Transport;
  let pods: ResourceClient<Pod>;
  let cri: CriClient;
  let kubelet: ComponentProcess | undefined;
  const k: Kubectl[] = [];
  const podOf = async (app: string) => until(`a Running Pod of ${app}`, async () => (await pods.list('default', { labelSelector: `app=${app}` })).items.find((p) => p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready), 60_000);
  const status = async (name: string) => (await pods.get('default', name)).status?.containerStatuses?.[0];
  const sandboxesOf = async (uid?: string) => (await cri.call<{ items: { id: string }[] }>('ListPodSandbox', { filter: { labelSelector: uid ? { 'io.kubernetes.pod.uid': uid } : {} } })).items.map((s) => s.id);

  before(async () => {
    containerd = await shared();
    cri = new CriClient(containerd.endpoint);
    server = await startApiserver({ command: 'server', args: ['--runtime', 'cri', '--container-runtime-endpoint', containerd.endpoint], readyTimeoutMs: 60_000 });
    transport = new Http2Transport(loadClientConfig(server.kubeconfig));
    pods = new RestClient(transport).kind<Pod>('v1', 'Pod');
    for (const v of VERSIONS) k.push(kubectl(v, server.kubeconfig));
    await k[1]!.ok(['wait', '--for=condition=Ready', 'node/node-1', '--timeout=60s']);
  });

  after(async () => {
    try {
      await k[1]?.run(['delete', 'pods,replicasets', '--all', '--grace-period=1', '--timeout=60s']);
    } finally {
      await kubelet?.stop();
      for (const x of k) x.cleanup();
      transport?.close();
      cri?.close();
      await server?.stop();
    }
  });

  test('a hostNetwork ReplicaSet of httpd: Running in containerd (sandbox and container), answering on 127.0.0.1', async () => {
    const port = await freePort();
    await k[0]!.ok(['create', '-f', '-'], { input: replicaSet('web', true, port) });
    const pod = await podOf('web');
    assert.equal(pod.status?.podIP, '127.0.0.1');
    const containerId = /^containerd:\/\/([0-9a-f]{64})$/.exec(pod.status?.containerStatuses?.[0]?.containerID ?? '')?.[1];
    assert.ok(containerId, pod.status?.containerStatuses?.[0]?.containerID);
    const [sandboxId] = await sandboxesOf(pod.metadata!.uid);
    const listed = containerd.ctr(['containers', 'list', '-q']).split('\n');
    assert.ok(listed.includes(sandboxId!) && listed.includes(containerId), `ctr containers list: ${listed.join(' ')}`);
    assert.equal(await until('httpd answering', () => httpGet(`http://127.0.0.1:${port}/`).catch(() => undefined)), 'hello from skiff-test/busybox\n');
    assert.match(await k[1]!.ok(['get', 'pods', '-l', 'app=web', '-o', 'wide']), /Running\s+0\s+\S+\s+127\.0\.0\.1\s+node-1/);
    const nodeInfo = JSON.parse(await k[0]!.ok(['get', 'node', 'node-1', '-o', 'jsonpath={.status.nodeInfo}'])) as { containerRuntimeVersion: string };
    assert.match(nodeInfo.containerRuntimeVersion, /^containerd:\/\/1\./);
  });

  test('on the CNI bridge: the Pod has its own IP, routed through the test’s bridge, and httpd answers there', async () => {
    await k[1]!.ok(['create', '-f', '-'], { input: replicaSet('bridged', false, 8080) });
    const pod = await podOf('bridged');
    const ip = pod.status?.podIP ?? '';
    assert.match(ip, /^10\.213\.\d+\.\d+$/);
    // The safety rule: nothing is sent to a pod IP unless the route to it goes through this test's bridge.
    assert.ok(routesThrough(ip, containerd.bridge), `the route to ${ip} does not go through ${containerd.bridge}: not sending`);
    assert.equal(await until('httpd answering on the Pod IP', () => httpGet(`http://${ip}:8080/`).catch(() => undefined)), 'hello from skiff-test/busybox\n');
  });

  test('kubectl logs; a container exiting 1 restarts, then CrashLoopBackOff, with logs --previous', async () => {
    await k[1]!.ok(['create', '-f', '-'], { input: podJson('crash', 'echo "run at $(date +%s)"; echo to-stderr >&2; exit 1') });
    const crashing = await until('a restart, then CrashLoopBackOff', async () => {
      const s = await status('crash');
      return (s?.restartCount ?? 0) >= 1 && s?.state?.waiting?.reason === 'CrashLoopBackOff' && s;
    }, 60_000);
    assert.equal(crashing.lastState?.terminated?.exitCode, 1);
    assert.equal(crashing.lastState?.terminated?.reason, 'Error');
    // stdout and stderr reach the log through separate pipes: their relative order is not kept (as upstream).
    const lines = (text: string) => text.split('\n').sort().join('\n');
    for (const kc of k) {
      assert.match(lines(await kc.ok(['logs', 'crash'])), /^\nrun at \d+\nto-stderr$/);
      assert.match(lines(await kc.ok(['logs', 'crash', '--previous'])), /^\nrun at \d+\nto-stderr$/);
      assert.match(await kc.ok(['get', 'pod', 'crash']), /crash\s+0\/1\s+(CrashLoopBackOff|Error)\s+\d+/);
    }
    await k[1]!.ok(['delete', 'pod', 'crash', '--grace-period=1']);
  });

  test('probes in containers: a failing exec liveness probe restarts the container; readiness follows its exec probe; a ConfigMap volume is mounted', async () => {
    await k[1]!.ok(['create', 'configmap', 'probe-config', '--from-literal=greeting=hello-from-configmap']);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'probed' },
      spec: {
        terminationGracePeriodSeconds: 1,
        volumes: [{ name: 'cfg', configMap: { name: 'probe-config' } }],
        containers: [
          {
            name: 'c',
            image: 'skiff-test/busybox:1',
            // The value has no newline: echo ends the line, which the runtime's log only writes once it is complete.
            command: ['sh', '-c', 'echo "$(cat /etc/cfg/greeting)"; touch /tmp/ready; sleep 3; rm /tmp/ready; sleep 3600'],
            volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }],
            readinessProbe: { exec: { command: ['test', '-e', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 },
            livenessProbe: { exec: { command: ['test', '-e', '/tmp/ready'] }, initialDelaySeconds: 1, periodSeconds: 1, failureThreshold: 3 },
          },
        ],
      },
    };
    await k[1]!.ok(['create', '-f', '-'], { input: JSON.stringify(pod) });
    await until('Ready', async () => (await status('probed'))?.ready === true, 60_000);
    const restarted = await until('a liveness restart', async () => ((await status('probed'))?.restartCount ?? 0) >= 1 && (await status('probed')), 60_000);
    assert.equal(restarted.lastState?.terminated?.exitCode, 137);
    assert.match(await k[1]!.ok(['logs', 'probed', '--previous']), /hello-from-configmap/);
    const events = await k[1]!.ok(['get', 'events', '--field-selector', 'involvedObject.name=probed', '-o', 'custom-columns=REASON:.reason,MESSAGE:.message', '--no-headers']);
    assert.match(events, /Unhealthy\s+Liveness probe failed/);
    assert.match(events, /Killing\s+Container c failed liveness probe, will be restarted/);
    await k[1]!.ok(['delete', 'pod', 'probed', '--grace-period=1']);
  });

  test('an image that is not present with imagePullPolicy Never: ErrImageNeverPull', async () => {
    await k[0]!.ok(['create', '-f', '-'], { input: podJson('never-pull', 'true', { image: 'skiff-test/missing:1', imagePullPolicy: 'Never' }) });
    const waiting = await until('ErrImageNeverPull', async () => (await status('never-pull'))?.state?.waiting?.reason === 'ErrImageNeverPull' && (await status('never-pull')), 30_000);
    assert.equal(waiting.state?.waiting?.message, 'Container image "skiff-test/missing:1" is not present with pull policy of Never');
    for (const kc of k) assert.match(await kc.ok(['get', 'pod', 'never-pull']), /never-pull\s+0\/1\s+ErrImageNeverPull\s+0/);
    await k[1]!.ok(['delete', 'pod', 'never-pull', '--grace-period=1']);
  });

  test('a pull that fails: ErrImagePull, then ImagePullBackOff (the registry is a closed port on loopback)', async () => {
    const image = '127.0.0.1:1/skiff-test/absent:1';
    const watch = k[1]!.start(['get', 'pods', '--watch', '--output-watch-events']);
    try {
      await k[0]!.ok(['create', '-f', '-'], { input: podJson('bad-pull', 'true', { image }) });
      await watch.waitFor(/MODIFIED\s+bad-pull\s+0\/1\s+ErrImagePull\s/, 1, 30_000);
      await watch.waitFor(/MODIFIED\s+bad-pull\s+0\/1\s+ImagePullBackOff\s/, 1, 30_000);
    } finally {
      watch.stop();
    }
    const waiting = (await status('bad-pull'))?.state?.waiting;
    assert.equal(waiting?.reason, 'ImagePullBackOff');
    assert.equal(waiting?.message, `Back-off pulling image "${image}"`);
    const events = await k[1]!.ok(['get', 'events', '--field-selector', 'involvedObject.name=bad-pull']);
    assert.match(events, /Warning\s+Failed\s+pod\/bad-pull\s+Failed to pull image "127\.0\.0\.1:1\/skiff-test\/absent:1": .*connection refused/);
    assert.match(events, /Normal\s+BackOff\s+pod\/bad-pull\s+Back-off pulling image/);
    await k[1]!.ok(['delete', 'pod', 'bad-pull', '--grace-period=1']);
  });

  test('resources become Linux limits: a container over its memory limit is OOMKilled (exit 137)', async () => {
    const oom = JSON.parse(podJson('oom', 'exec dd if=/dev/zero of=/dev/null bs=64M count=1')) as Pod;
    oom.spec!.restartPolicy = 'Never';
    oom.spec!.containers[0]!.resources = { limits: { memory: '16Mi', cpu: '100m' } };
    await k[1]!.ok(['create', '-f', '-'], { input: JSON.stringify(oom) });
    const ended = await until('oom terminated', async () => (await status('oom'))?.state?.terminated, 30_000);
    assert.equal(ended.exitCode, 137);
    // containerd handles the OOM event and the exit apart: the reason it gives at the exit may still be Error.
    assert.match(ended.reason ?? '', /^(OOMKilled|Error)$/);
    const id = ended.containerID!.replace('containerd://', '');
    await until('containerd reporting OOMKilled', async () => (await cri.call<{ status: { reason: string } }>('ContainerStatus', { containerId: id })).status.reason === 'OOMKilled', 10_000);
    assert.equal((await pods.get('default', 'oom')).status?.phase, 'Failed');
    await k[1]!.ok(['delete', 'pod', 'oom', '--grace-period=1']);
  });

  test('graceful deletion: SIGTERM reaches the container’s process, which ends before the grace period', async () => {
    await k[1]!.ok(['create', '-f', '-'], { input: podJson('polite', "trap 'echo got TERM; exit 0' TERM; echo ready; sleep 2147483647 & wait", { grace: 30 }) });
    await k[1]!.ok(['wait', '--for=condition=Ready', 'pod/polite', '--timeout=60s']);
    const follow = k[0]!.start(['logs', '-f', 'polite']);
    try {
      await follow.waitFor(/^ready$/);
      const started = Date.now();
      const deleting = k[1]!.ok(['delete', 'pod', 'polite', '--timeout=60s']);
      await follow.waitFor(/^got TERM$/);
      await deleting;
      assert.ok(Date.now() - started < 20_000, 'the Pod went well before its 30 s grace period');
    } finally {
      follow.stop();
    }
  });

  test('skiff kubelet --runtime cri as its own process shares the containerd: each kubelet touches only its own; a restarted one adopts its containers', async () => {
    kubelet = await startKubelet(server.dataDir, 'cri-2', ['--runtime', 'cri', '--container-runtime-endpoint', containerd.endpoint, '--port', '0']);
    await k[1]!.ok(['create', '-f', '-'], { input: podJson('on-two', 'echo hello from cri-2; sleep 2147483647 & wait', { nodeName: 'cri-2', grace: 1 }) });
    await k[1]!.ok(['wait', '--for=condition=Ready', 'pod/on-two', '--timeout=60s']);
    for (const kc of k) assert.equal(await kc.ok(['logs', 'on-two']), 'hello from cri-2\n');
    const uid = (await pods.get('default', 'on-two')).metadata!.uid!;
    const mine = await cri.call<{ items: { id: string }[] }>('ListPodSandbox', { filter: { labelSelector: { 'skiff.dev/node': 'cri-2' } } });
    assert.deepEqual(mine.items.map((s) => s.id), await sandboxesOf(uid));
    const theirs = await cri.call<{ items: { labels: Record<string, string> }[] }>('ListPodSandbox', { filter: { labelSelector: { 'skiff.dev/node': 'node-1' } } });
    assert.ok(theirs.items.length > 0 && theirs.items.every((s) => s.labels['io.kubernetes.pod.uid'] !== uid));
    // A kubelet SIGKILLed and started again finds its containers in containerd: same container, logs still served.
    const containerID = (await status('on-two'))?.containerID;
    const podIP = (await pods.get('default', 'on-two')).status?.podIP;
    assert.match(podIP ?? '', /^10\.213\./);
    kubelet.kill('SIGKILL');
    await kubelet.exited;
    kubelet = await startKubelet(server.dataDir, 'cri-2', ['--runtime', 'cri', '--container-runtime-endpoint', containerd.endpoint, '--port', '0']);
    await until('on-two’s log served by the new kubelet', async () => (await k[1]!.run(['logs', 'on-two'])).stdout === 'hello from cri-2\n', 30_000);
    const after = await status('on-two');
    assert.deepEqual([after?.containerID, after?.restartCount, after?.ready], [containerID, 0, true]);
    assert.equal((await pods.get('default', 'on-two')).status?.podIP, podIP, 'the Pod IP read again from containerd');
    await k[0]!.ok(['delete', 'pod', 'on-two']);
    await until('on-two’s sandbox removed', async () => (await sandboxesOf(uid)).length === 0, 30_000);
    // node-1's Pods kept running all along.
    assert.equal((await pods.list('default', { labelSelector: 'app in (web,bridged)' })).items.filter((p) => p.status?.phase === 'Running').length, 2);
  });

  test('deleting the ReplicaSets removes every container and sandbox from containerd', async () => {
    const selector = 'app in (web,bridged)';
    const uids = (await pods.list('default', { labelSelector: selector })).items.map((p) => p.metadata!.uid!);
    assert.equal(uids.length, 2);
    const before = (await Promise.all(uids.map((uid) => sandboxesOf(uid)))).flat();
    assert.equal(before.length, 2);
    await k[1]!.ok(['delete', 'replicasets', 'web', 'bridged']);
    await until('the Pods gone', async () => (await pods.list('default', { labelSelector: selector })).items.length === 0, 60_000);
    await until('their sandboxes gone', async () => (await Promise.all(uids.map((uid) => sandboxesOf(uid)))).flat().length === 0, 60_000);
    const left = await cri.call<{ containers: { labels: Record<string, string> }[] }>('ListContainers', {});
    assert.deepEqual(left.containers.filter((c) => uids.includes(c.labels['io.kubernetes.pod.uid'] ?? '')), []);
    const listed = containerd.ctr(['containers', 'list', '-q']).split('\n');
    for (const id of before) assert.ok(!listed.includes(id), `sandbox ${id} still in containerd`);
  });
});
