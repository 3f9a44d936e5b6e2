// The process runtime on separate processes: `skiff apiserver`, `controller-manager`, `scheduler` and `skiff kubelet
// --runtime process`, driven by kubectl 1.27 and 1.33. Containers are real processes: logs (also followed, previous,
// tail, since, limit), exit codes, CrashLoopBackOff with growing delays, a kubelet SIGKILLed and restarted (same
// processes, an exit that happened meanwhile), graceful deletion (SIGTERM, then SIGKILL after the grace period), and
// path traversal on the kubelet's log endpoint.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { Http2Transport, loadClientConfig, RestClient, type ResourceClient } from '../../src/client/index.js';
import { startControllerManager, startKubelet, startScheduler, type ComponentProcess } from '../support/component-process.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { killRuntimeProcesses } from '../support/process-runtime-cleanup.js';
import { kubectl, type Kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';
import { until } from '../support/until.js';

const NODE = 'proc-1';
const VERSIONS = ['1.27', '1.33'] as const;
const skip = VERSIONS.map(kubectlSkipReason).find((r) => r !== undefined);
const KUBELET_ARGS = ['--runtime', 'process', '--port', '0', '--crash-loop-backoff-base', '1s'];

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

function podYaml(name: string, script: string, extra: { restartPolicy?: string; grace?: number } = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      restartPolicy: extra.restartPolicy ?? 'Always',
      terminationGracePeriodSeconds: extra.grace ?? 30,
      containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', script] }],
    },
  });
}

describe('the process runtime: real processes under skiff kubelet --runtime process', { skip }, () => {
  let server: SkiffProcess;
  const components: ComponentProcess[] = [];
  let kubelet: ComponentProcess;
  let kubeletDir: string;
  let work: string;
  let transport: Http2Transport;
  let pods: ResourceClient<Pod>;
  let nodes: ResourceClient<Node>;
  const k: Kubectl[] = [];
  const pod = (name: string) => pods.get('default', name);
  const status = async (name: string) => (await pod(name)).status?.containerStatuses?.[0];
  const create = (name: string, script: string, extra?: Parameters<typeof podYaml>[2]) => k[1]!.ok(['create', '-f', '-'], { input: podYaml(name, script, extra) });
  const logPid = async (name: string) => Number(/pid (\d+)/.exec(await until(`${name}'s pid in its log`, async () => /pid \d+/.test((await k[1]!.run(['logs', name])).stdout) && (await k[1]!.ok(['logs', name]))))![1]);

  before(async () => {
    server = await startApiserver();
    kubeletDir = `${server.dataDir}/kubelet/${NODE}`;
    work = join(server.dataDir, 'work');
    mkdirSync(work);
    transport = new Http2Transport(loadClientConfig(server.kubeconfig));
    const client = new RestClient(transport);
    pods = client.kind<Pod>('v1', 'Pod');
    nodes = client.kind<Node>('v1', 'Node');
    components.push(await startControllerManager(server.dataDir));
    components.push(await startScheduler(server.dataDir));
    kubelet = await startKubelet(server.dataDir, NODE, KUBELET_ARGS);
    for (const v of VERSIONS) k.push(kubectl(v, server.kubeconfig));
  });

  after(async () => {
    try {
      await k[1]?.run(['delete', 'pods', '--all', '--grace-period=1', '--timeout=30s']);
    } finally {
      await kubelet?.stop();
      for (const c of components.reverse()) await c.stop();
      // Whatever a failed test left running goes too: no container outlives the test.
      if (kubeletDir) killRuntimeProcesses(kubeletDir);
      for (const x of k) x.cleanup();
      transport?.close();
      await server?.stop();
    }
  });

  test('a Pod running sh is Running with the node’s IP; kubectl logs, logs -f, --tail, --since, --timestamps, --limit-bytes', async () => {
    await create('hello', 'echo hello; echo second; while true; do sleep 1; done');
    await k[1]!.ok(['wait', '--for=condition=Ready', 'pod/hello', '--timeout=30s']);
    const p = await pod('hello');
    assert.equal(p.status?.phase, 'Running');
    assert.equal(p.status?.podIP, '127.0.0.1');
    assert.match(p.status?.containerStatuses?.[0]?.containerID ?? '', /^process:\/\/[0-9a-f]{64}$/);
    const node = await nodes.get('', NODE);
    assert.ok((node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0) > 0);
    assert.equal(node.status?.nodeInfo?.containerRuntimeVersion, 'process://0.1.0');
    for (const kc of k) {
      assert.equal(await kc.ok(['logs', 'hello']), 'hello\nsecond\n');
      assert.equal(await kc.ok(['logs', 'hello', '--tail=1']), 'second\n');
      assert.equal(await kc.ok(['logs', 'hello', '--since=1h']), 'hello\nsecond\n');
      assert.equal(await kc.ok(['logs', 'hello', '--limit-bytes=3']), 'hel');
      assert.match(await kc.ok(['logs', 'hello', '--timestamps']), /^\d{4}-\d\d-\d\dT[\d:.]+Z hello\n/);
      const follow = kc.start(['logs', '-f', 'hello']);
      try {
        await follow.waitFor(/^hello$/);
        await follow.waitFor(/^second$/);
      } finally {
        follow.stop();
      }
      const previous = await kc.run(['logs', 'hello', '--previous']);
      assert.notEqual(previous.code, 0);
      assert.match(previous.stderr, /previous terminated container "c" in pod "hello" not found/);
    }
  });

  test('exit 1 under Always: CrashLoopBackOff with growing delays, logs --previous shows the last run; a Never Pod exiting 3 is Failed', async () => {
    const starts = join(work, 'starts');
    await create('crash', `date +%s%N >> ${starts}; echo "run $(wc -l < ${starts})"; exit 1`);
    await create('never', 'echo bye; exit 3', { restartPolicy: 'Never' });
    const crashing = await until('three restarts and CrashLoopBackOff', async () => {
      const s = await status('crash');
      return (s?.restartCount ?? 0) >= 3 && s?.state?.waiting?.reason === 'CrashLoopBackOff' && s;
    }, 60_000);
    assert.match(crashing.state?.waiting?.message ?? '', /^back-off \d+s restarting failed container=c pod=crash_default\(/);
    assert.equal(crashing.lastState?.terminated?.exitCode, 1);
    const times = readFileSync(starts, 'utf8').trim().split('\n').map((l) => Number(BigInt(l) / 1_000_000n));
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // The first restart at once, then 1 s, then 2 s (the base doubling).
    assert.ok(gaps.length >= 3, `starts: ${times.join(' ')}`);
    assert.ok(gaps[1]! >= 900 && gaps[2]! >= 1900 && gaps[2]! > gaps[1]! && gaps[1]! > gaps[0]!, `gaps ${gaps.join(' ')}`);
    for (const kc of k) {
      const previous = await kc.ok(['logs', 'crash', '--previous']);
      assert.match(previous, /^run \d+\n$/);
      assert.match(await kc.ok(['get', 'pod', 'crash']), /crash\s+0\/1\s+(CrashLoopBackOff|Error|Completed)\s+\d+ \(/);
    }

    const never = await until('the Never Pod Failed', async () => {
      const p = await pod('never');
      return p.status?.phase === 'Failed' && p;
    });
    assert.equal(never.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 3);
    assert.equal(never.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Error');
    assert.equal(await k[0]!.ok(['logs', 'never']), 'bye\n');
    assert.match(await k[1]!.ok(['get', 'pod', 'never']), /never\s+0\/1\s+Error\s+0\s/);
    await k[1]!.ok(['delete', 'pod', 'crash', 'never']);
  });

  test('SIGKILL of the kubelet and a restart: running containers keep their processes and restart counts, an exit meanwhile is reported with its code', async () => {
    const stop = join(work, 'stop-waiter');
    await create('keeper', 'echo pid $$; while true; do sleep 1; done');
    await create('waiter', `echo pid $$; while [ ! -f ${stop} ]; do sleep 0.1; done; exit 7`, { restartPolicy: 'Never' });
    await k[1]!.ok(['wait', '--for=condition=Ready', 'pod/keeper', 'pod/waiter', '--timeout=30s']);
    const keeperPid = await logPid('keeper');
    const waiterPid = await logPid('waiter');
    const before = await status('keeper');
    assert.ok(alive(keeperPid) && alive(waiterPid));

    kubelet.kill('SIGKILL');
    await kubelet.exited;
    writeFileSync(stop, '');
    await until('the waiter to exit while no kubelet runs', async () => !alive(waiterPid));
    assert.ok(alive(keeperPid), 'a container outlives its kubelet');
    kubelet = await startKubelet(server.dataDir, NODE, KUBELET_ARGS);

    const waiter = await until('the waiter reported Failed with exit code 7', async () => {
      const p = await pod('waiter');
      return p.status?.phase === 'Failed' && p;
    });
    assert.equal(waiter.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 7);
    const after = await status('keeper');
    assert.equal(after?.containerID, before?.containerID);
    assert.equal(after?.restartCount, before?.restartCount);
    assert.ok(after?.state?.running);
    assert.ok(alive(keeperPid), 'the same process runs');
    assert.equal(await k[0]!.ok(['logs', 'keeper']), `pid ${keeperPid}\n`);
    await k[1]!.ok(['delete', 'pod', 'keeper', 'waiter', '--grace-period=1']);
    assert.ok(!alive(keeperPid));
  });

  test('deleting a Pod runs its preStop hook and sends SIGTERM; a process that ignores it is killed after the grace period', async () => {
    const termed = join(work, 'termed');
    const polite = JSON.parse(podYaml('polite', `trap 'echo TERM >> ${termed}; exit 0' TERM; echo pid $$; while true; do sleep 0.1; done`)) as Pod;
    polite.spec!.containers[0]!.lifecycle = { preStop: { exec: { command: ['sh', '-c', `echo preStop >> ${termed}`] } } };
    await k[1]!.ok(['create', '-f', '-'], { input: JSON.stringify(polite) });
    await create('stubborn', "trap '' TERM; echo pid $$; while true; do sleep 0.1; done", { grace: 2 });
    await k[1]!.ok(['wait', '--for=condition=Ready', 'pod/polite', 'pod/stubborn', '--timeout=30s']);
    const politePid = await logPid('polite');
    const stubbornPid = await logPid('stubborn');

    let began = Date.now();
    await k[1]!.ok(['delete', 'pod', 'polite']);
    assert.ok(Date.now() - began < 10_000);
    // The preStop hook ran first, then SIGTERM.
    assert.equal(readFileSync(termed, 'utf8'), 'preStop\nTERM\n');
    assert.ok(!alive(politePid));

    began = Date.now();
    const watch = async () => {
      await until('SIGTERM ignored for a while', async () => (await pod('stubborn')).metadata?.deletionTimestamp !== undefined);
      return Date.now();
    };
    const deleting = k[0]!.ok(['delete', 'pod', 'stubborn']);
    const marked = await watch();
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(alive(stubbornPid), 'still running one second into a grace period of two');
    await deleting;
    const took = Date.now() - began;
    assert.ok(took >= 1900 && marked - began < 2000, `deletion took ${took} ms`);
    await until('the stubborn process killed', async () => !alive(stubbornPid), 5000);
  });

  test('probes: exec readiness drives Ready and the ReplicaSet’s readyReplicas; a failed liveness probe restarts; httpGet and tcpSocket', async () => {
    const ready = join(work, 'ready');
    const die = join(work, 'die');
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'gated' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'gated' } },
        template: {
          metadata: { labels: { app: 'gated' } },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'while true; do sleep 0.2; done'], readinessProbe: { exec: { command: ['test', '-f', ready] }, periodSeconds: 1, failureThreshold: 1 } }],
          },
        },
      },
    };
    await k[1]!.ok(['create', '-f', '-'], { input: JSON.stringify(rs) });
    const readyReplicas = async () => Number((await k[0]!.ok(['get', 'rs', 'gated', '-o', 'jsonpath={.status.readyReplicas}'])) || '0');
    await until('the gated Pod Running, not ready', async () => (await k[1]!.ok(['get', 'pods', '-l', 'app=gated', '--no-headers'])).match(/0\/1\s+Running/));
    assert.equal(await readyReplicas(), 0);
    writeFileSync(ready, '');
    await until('readyReplicas 1', async () => (await readyReplicas()) === 1);
    assert.match(await k[1]!.ok(['get', 'pods', '-l', 'app=gated', '--no-headers']), /1\/1\s+Running\s+0\s/);
    rmSync(ready);
    await until('readyReplicas 0 again', async () => (await readyReplicas()) === 0);
    await k[1]!.ok(['delete', 'rs', 'gated']);

    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => resolve(p));
      });
    });
    const serve = `require('http').createServer((q, s) => { s.statusCode = require('fs').existsSync(${JSON.stringify(die)}) ? 500 : 200; s.end('ok'); }).listen(${port}, '127.0.0.1')`;
    const live = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'lively' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'c',
            image: 'node',
            command: [process.execPath, '-e', serve],
            ports: [{ name: 'http', containerPort: port }],
            startupProbe: { tcpSocket: { port: 'http' }, periodSeconds: 1, failureThreshold: 30 },
            readinessProbe: { httpGet: { port: 'http', path: '/ready' }, periodSeconds: 1 },
            livenessProbe: { httpGet: { port, path: '/healthz' }, periodSeconds: 1, failureThreshold: 2 },
          },
        ],
      },
    };
    await k[1]!.ok(['create', '-f', '-'], { input: JSON.stringify(live) });
    await k[1]!.ok(['wait', '--for=condition=Ready', 'pod/lively', '--timeout=30s']);
    const first = await status('lively');
    assert.equal(first?.started, true);
    writeFileSync(die, '');
    const restarted = await until('a restart after the liveness probe failed', async () => {
      const s = await status('lively');
      return (s?.restartCount ?? 0) >= 1 && s;
    });
    rmSync(die);
    assert.equal(restarted.lastState?.terminated?.exitCode, 143);
    await k[1]!.ok(['wait', '--for=condition=Ready', 'pod/lively', '--timeout=30s']);
    const events = await k[1]!.ok(['get', 'events', '--field-selector', 'involvedObject.name=lively', '-o', 'custom-columns=REASON:.reason,MESSAGE:.message', '--no-headers']);
    assert.match(events, /Unhealthy\s+Liveness probe failed: HTTP probe failed with statuscode: 500/);
    assert.match(events, /Killing\s+Container c failed liveness probe, will be restarted/);
    await k[1]!.ok(['delete', 'pod', 'lively']);
  });

  test('env and volumes: ConfigMap, Secret, fieldRef and resourceFieldRef in env; configMap, secret, emptyDir, downwardAPI and projected volumes bind-mounted in a private mount namespace', async () => {
    const mnt = join(work, 'mnt');
    await k[1]!.ok(['create', 'configmap', 'settings', '--from-literal=greeting=hello from a configmap', '--from-literal=LEVEL=debug']);
    await k[1]!.ok(['create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret']);
    const script = [
      'echo "env: $LEVEL $PASSWORD $POD_NAME $MEM_MI $GREETING_TOO"',
      `echo "config: $(cat ${mnt}/config/greeting)"`,
      `echo "secret: $(cat ${mnt}/secret/password)"`,
      `echo "labels: $(cat ${mnt}/info/labels)"`,
      `echo "projected: $(cat ${mnt}/all/greeting) $(cat ${mnt}/all/password) $(cat ${mnt}/all/name)"`,
      `echo scratch > ${mnt}/scratch/file && echo "scratch: $(cat ${mnt}/scratch/file)"`,
      `if { echo no > ${mnt}/config/write; } 2>/dev/null; then echo "config writable"; else echo "config read-only"; fi`,
      'echo "cwd: $(pwd)"',
      'while true; do sleep 1; done',
    ].join('; ');
    const volumesPod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'volumes', labels: { app: 'vol' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'c',
            image: 'busybox',
            command: ['sh', '-c', script],
            workingDir: `${mnt}/scratch`,
            resources: { limits: { memory: '64Mi' } },
            envFrom: [{ configMapRef: { name: 'settings' } }],
            env: [
              { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
              { name: 'GREETING_TOO', valueFrom: { configMapKeyRef: { name: 'settings', key: 'LEVEL' } } },
            ],
            volumeMounts: [
              { name: 'config', mountPath: `${mnt}/config` },
              { name: 'secret', mountPath: `${mnt}/secret` },
              { name: 'info', mountPath: `${mnt}/info` },
              { name: 'all', mountPath: `${mnt}/all` },
              { name: 'scratch', mountPath: `${mnt}/scratch` },
            ],
          },
        ],
        volumes: [
          { name: 'config', configMap: { name: 'settings' } },
          { name: 'secret', secret: { secretName: 'creds' } },
          { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
          { name: 'all', projected: { sources: [{ configMap: { name: 'settings', items: [{ key: 'greeting', path: 'greeting' }] } }, { secret: { name: 'creds' } }, { downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } }] } },
          { name: 'scratch', emptyDir: {} },
        ],
      },
    };
    await k[1]!.ok(['create', '-f', '-'], { input: JSON.stringify(volumesPod) });
    await k[1]!.ok(['wait', '--for=condition=Ready', 'pod/volumes', '--timeout=30s']);
    const logs = await until('the volumes Pod’s report', async () => {
      const out = await k[0]!.ok(['logs', 'volumes']);
      return out.includes('cwd:') && out;
    });
    assert.equal(
      logs,
      [
        'env: debug s3cret volumes 64 debug',
        'config: hello from a configmap',
        'secret: s3cret',
        'labels: app="vol"',
        'projected: hello from a configmap s3cret volumes',
        'scratch: scratch',
        'config read-only',
        `cwd: ${mnt}/scratch`,
        '',
      ].join('\n'),
    );
    // The mounts are the container's own: the node sees empty directories at those paths.
    assert.deepEqual(readdirSync(join(mnt, 'config')), []);

    // hostPath is off unless the kubelet allows it; a container without a command cannot be created.
    const hostPathPod = JSON.parse(podYaml('hostpath', 'sleep 1')) as Pod;
    hostPathPod.spec!.volumes = [{ name: 'h', hostPath: { path: work } }];
    hostPathPod.spec!.containers[0]!.volumeMounts = [{ name: 'h', mountPath: '/h' }];
    await k[1]!.ok(['create', '-f', '-'], { input: JSON.stringify(hostPathPod) });
    const noCommand = JSON.parse(podYaml('nocommand', '')) as Pod;
    delete noCommand.spec!.containers[0]!.command;
    await k[1]!.ok(['create', '-f', '-'], { input: JSON.stringify(noCommand) });
    await until('a FailedMount event for the hostPath volume', async () =>
      /FailedMount\s+MountVolume.SetUp failed: volume "h": hostPath volumes are not allowed on this node/.test(await k[1]!.ok(['get', 'events', '--field-selector', 'involvedObject.name=hostpath', '-o', 'custom-columns=REASON:.reason,MESSAGE:.message', '--no-headers'])),
    );
    assert.equal((await status('hostpath'))?.state?.waiting?.reason, 'ContainerCreating');
    const refused = await until('CreateContainerError', async () => {
      const s = await status('nocommand');
      return s?.state?.waiting?.reason === 'CreateContainerError' && s;
    });
    assert.match(refused.state?.waiting?.message ?? '', /container c has no command: the process runtime runs no images/);
    await k[1]!.ok(['delete', 'pod', 'volumes', 'hostpath', 'nocommand', '--grace-period=1']);
    await k[1]!.ok(['delete', 'configmap', 'settings']);
    await k[1]!.ok(['delete', 'secret', 'creds']);
  });

  test('path traversal on the kubelet’s log endpoint never reaches a file outside the log directory', async () => {
    const canary = join(server.dataDir, 'canary.txt');
    writeFileSync(canary, 'CANARY-7f3a\n');
    await create('target', 'echo inside; exit 0', { restartPolicy: 'Never' });
    const done = await until('the target Pod Succeeded', async () => {
      const p = await pod('target');
      return p.status?.phase === 'Succeeded' && p;
    });
    const node = await nodes.get('', NODE);
    const port = node.status!.daemonEndpoints!.kubeletEndpoint!.Port;
    const pki = join(server.dataDir, 'pki');
    const get = (path: string, creds: { cert?: string; key?: string } = { cert: readFileSync(join(pki, 'apiserver-kubelet-client.crt'), 'utf8'), key: readFileSync(join(pki, 'apiserver-kubelet-client.key'), 'utf8') }) =>
      new Promise<{ code: number; body: string }>((resolve) => {
        const r = request({ host: '127.0.0.1', port, path, method: 'GET', ...creds, rejectUnauthorized: false }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
        });
        r.on('error', (e) => resolve({ code: -1, body: e.message }));
        r.end();
      });

    assert.deepEqual(await get('/containerLogs/default/target/c'), { code: 200, body: 'inside\n' });
    const attempts = [
      '/containerLogs/default/target/c/../../../../../canary.txt',
      '/containerLogs/../../../../canary.txt',
      '/containerLogs/default/target/..%2f..%2f..%2f..%2f..%2fcanary.txt',
      '/containerLogs/%2e%2e/%2e%2e/%2e%2e',
      '/containerLogs/default/%2e%2e%2f%2e%2e%2f%2e%2e%2fcanary.txt/c',
      '/containerLogs/default/target/%2e%2e',
      '/containerLogs/default/target/c%00',
      '/containerLogs/%252e%252e/target/c',
      '/containerLogs/default/../canary.txt/c',
    ];
    for (const path of attempts) {
      const r = await get(path);
      assert.ok(!r.body.includes('CANARY'), `${path} served the canary`);
      assert.notEqual(r.code, 200, `${path}: ${r.body}`);
    }
    // Symlinks: the log file, then its container directory, pointed outside the log directory.
    const podDir = join(kubeletDir, 'logs', 'pods', `default_target_${done.metadata!.uid!}`);
    const logFile = join(podDir, 'c', '0.log');
    assert.ok(existsSync(logFile));
    rmSync(logFile);
    symlinkSync(canary, logFile);
    for (const kc of k) {
      const r = await kc.run(['logs', 'target']);
      assert.ok(!r.stdout.includes('CANARY') && !r.stderr.includes('CANARY'), r.stdout);
    }
    rmSync(join(podDir, 'c'), { recursive: true });
    mkdirSync(join(server.dataDir, 'outside'));
    writeFileSync(join(server.dataDir, 'outside', '0.log'), readFileSync(canary));
    symlinkSync(join(server.dataDir, 'outside'), join(podDir, 'c'));
    const viaLink = await get('/containerLogs/default/target/c');
    assert.ok(!viaLink.body.includes('CANARY'), viaLink.body);
    // Through the API server too. Direct callers are authorized by the API server (nodes/proxy): the admin may, as
    // upstream's cluster-admin may; a user without a role may not, nor may another node.
    for (const name of ['..', '%2e%2e', '..%2f..%2fcanary.txt']) {
      const r = await k[1]!.run(['get', '--raw', `/api/v1/namespaces/default/pods/${name}/log`]);
      assert.ok(!r.stdout.includes('CANARY'), r.stdout);
    }
    const admin = loadClientConfig(server.kubeconfig);
    const asAdmin = await get('/containerLogs/default/target/c', { cert: admin.cert, key: admin.key });
    // Authorized (the refusal, if any, is the symlinked log's, not authorization's), and still never the canary.
    assert.ok(!asAdmin.body.includes('Forbidden (user=') && !asAdmin.body.includes('CANARY'), asAdmin.body);
    for (const [user, group] of [['nobody', 'nobody-group'], ['system:node:other', 'system:nodes']] as const) {
      const file = join(server.dataDir, `${user.replaceAll(':', '-')}.yaml`);
      execFileSync(process.execPath, [new URL('../../../bin/skiff', import.meta.url).pathname, 'kubeconfig', '--data-dir', server.dataDir, '--user', user, '--group', group, '-o', file]);
      const creds = loadClientConfig(file);
      const refused = await get('/containerLogs/default/target/c', { cert: creds.cert, key: creds.key });
      assert.equal(refused.code, 403, `${user}: ${refused.body}`);
      assert.match(refused.body, new RegExp(`Forbidden \\(user=${user}, verb=get, resource=nodes, subresource=proxy\\)`));
    }
    const anonymous = await get('/containerLogs/default/target/c', {});
    assert.ok(anonymous.code === -1 || anonymous.code === 401, `anonymous: ${anonymous.code}`);
    await k[1]!.ok(['delete', 'pod', 'target']);
    // Removing the Pod's logs touched nothing the symlink pointed to.
    assert.deepEqual(readdirSync(join(server.dataDir, 'outside')), ['0.log']);
    assert.equal(readFileSync(canary, 'utf8'), 'CANARY-7f3a\n');
  });
});
