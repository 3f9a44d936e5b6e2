import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runtimeContract } from '../../../../test/support/runtime-contract.js';
import { ProcessRuntime } from './process-runtime.js';

const EXIT_ANNOTATION = 'test.skiff.dev/exit.';

/** The contract's scripted exits become commands: `sleep` then `exit <code>`. */
class ScriptedProcessRuntime extends ProcessRuntime {
  override createContainer(...[sandboxId, config, sandboxConfig]: Parameters<ProcessRuntime['createContainer']>): Promise<string> {
    const script = sandboxConfig.annotations?.[EXIT_ANNOTATION + config.name];
    const command = config.command ?? ['sh', '-c', script ?? 'while true; do sleep 0.1; done'];
    return super.createContainer(sandboxId, { ...config, command }, sandboxConfig);
  }
}

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-process-runtime-'));
  dirs.push(dir);
  return dir;
};

runtimeContract('process', () => {
  const runtime = new ScriptedProcessRuntime({ rootDir: fresh(), hostIP: '127.0.0.1', pollIntervalMs: 50 });
  return Promise.resolve({
    runtime,
    elapse: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
    exitingAnnotations: (name: string, code: number, afterMs: number) => ({ [EXIT_ANNOTATION + name]: `sleep ${afterMs / 1000}; exit ${code}` }),
    close: async () => {
      for (const s of await runtime.listPodSandboxes()) await runtime.removePodSandbox(s.id);
      runtime.close();
    },
  });
});

describe('ProcessRuntime', () => {
  const sandbox = { metadata: { name: 'p', namespace: 'ns', uid: 'u1', attempt: 0 } };

  it('runs command + args with env and workingDir, logs in CRI format, and reports a real exit code', async () => {
    const runtime = new ProcessRuntime({ rootDir: fresh(), hostIP: '127.0.0.1', pollIntervalMs: 20 });
    try {
      const sb = await runtime.runPodSandbox(sandbox);
      const id = await runtime.createContainer(sb, { name: 'c', attempt: 0, image: 'x', imageRef: 'x', command: ['sh', '-c'], args: ['echo "$GREETING from $(pwd)"; echo oops >&2; exit 3'], envs: [{ key: 'GREETING', value: 'hello' }], workingDir: '/tmp' }, sandbox);
      await runtime.startContainer(id);
      for (let i = 0; i < 200 && (await runtime.containerStatus(id)).state !== 'CONTAINER_EXITED'; i++) await new Promise((r) => setTimeout(r, 25));
      const status = await runtime.containerStatus(id);
      assert.deepEqual([status.state, status.exitCode, status.reason], ['CONTAINER_EXITED', 3, 'Error']);
      const lines = readFileSync(runtime.containerLogPath(id), 'utf8').trim().split('\n');
      assert.equal(lines.length, 2);
      assert.match(lines.find((l) => l.includes('stdout'))!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z stdout F hello from \/tmp$/);
      assert.match(lines.find((l) => l.includes('stderr'))!, / stderr F oops$/);
      assert.ok(runtime.containerLogPath(id).endsWith('/ns_p_u1/c/0.log'));
    } finally {
      runtime.close();
    }
  });

  it('refuses a container without a command, and volume mounts without root; a missing executable is a StartError', async () => {
    const runtime = new ProcessRuntime({ rootDir: fresh(), hostIP: '127.0.0.1' });
    try {
      const sb = await runtime.runPodSandbox(sandbox);
      await assert.rejects(runtime.createContainer(sb, { name: 'c', attempt: 0, image: 'nginx', imageRef: 'x' }, sandbox), /container c has no command/);
      const mount = { containerPath: '/etc/config', hostPath: '/tmp', readOnly: true };
      const rootless = new ProcessRuntime({ rootDir: fresh(), hostIP: '127.0.0.1', uid: 1000 });
      const rsb = await rootless.runPodSandbox(sandbox);
      await assert.rejects(rootless.createContainer(rsb, { name: 'c', attempt: 0, image: 'x', imageRef: 'x', command: ['true'], mounts: [mount] }, sandbox), /container c mounts volumes, which needs a private mount namespace and so a kubelet running as root \(it runs as uid 1000\)/);
      rootless.close();
      const id = await runtime.createContainer(sb, { name: 'c', attempt: 0, image: 'x', imageRef: 'x', command: ['no-such-binary-here'] }, sandbox);
      await runtime.startContainer(id);
      const status = await runtime.containerStatus(id);
      assert.deepEqual([status.state, status.exitCode, status.reason], ['CONTAINER_EXITED', 128, 'StartError']);
      assert.match(status.message, /executable file not found in \$PATH/);
    } finally {
      runtime.close();
    }
  });

  it('a new runtime on the same directory adopts a running container and learns how another ended', async () => {
    const rootDir = fresh();
    const first = new ProcessRuntime({ rootDir, hostIP: '127.0.0.1' });
    const sb = await first.runPodSandbox(sandbox);
    const long = await first.createContainer(sb, { name: 'long', attempt: 0, image: 'x', imageRef: 'x', command: ['sleep', '30'] }, sandbox);
    const short = await first.createContainer(sb, { name: 'short', attempt: 0, image: 'x', imageRef: 'x', command: ['sh', '-c', 'sleep 0.3; exit 7'] }, sandbox);
    await first.startContainer(long);
    await first.startContainer(short);
    const pids = first.runningPids();
    first.close();
    await new Promise((r) => setTimeout(r, 600));
    const second = new ProcessRuntime({ rootDir, hostIP: '127.0.0.1' });
    try {
      assert.equal((await second.containerStatus(long)).state, 'CONTAINER_RUNNING');
      assert.deepEqual(second.runningPids(), pids.slice(0, 1));
      const s = await second.containerStatus(short);
      assert.deepEqual([s.state, s.exitCode], ['CONTAINER_EXITED', 7]);
      const stops: string[] = [];
      second.onContainerEvent((e) => stops.push(e.type));
      await second.stopContainer(long, 5);
      const l = await second.containerStatus(long);
      assert.deepEqual([l.state, l.exitCode], ['CONTAINER_EXITED', 143]);
      assert.deepEqual(stops, ['CONTAINER_STOPPED_EVENT']);
      await second.removePodSandbox(sb);
    } finally {
      second.close();
    }
  });

  it('kills a process that ignores SIGTERM after the timeout; exec runs in the container’s environment', async () => {
    const runtime = new ProcessRuntime({ rootDir: fresh(), hostIP: '127.0.0.1' });
    try {
      const sb = await runtime.runPodSandbox(sandbox);
      const id = await runtime.createContainer(sb, { name: 'c', attempt: 0, image: 'x', imageRef: 'x', command: ['sh', '-c', "trap '' TERM; while true; do sleep 0.1; done"], envs: [{ key: 'X', value: '42' }] }, sandbox);
      await runtime.startContainer(id);
      assert.deepEqual(await runtime.execSync(id, ['sh', '-c', 'echo $X; exit 2'], 5), { exitCode: 2, stdout: '42\n', stderr: '' });
      assert.equal((await runtime.execSync(id, ['sleep', '5'], 1)).timedOut, true);
      const began = Date.now();
      await runtime.stopContainer(id, 1);
      const s = await runtime.containerStatus(id);
      assert.deepEqual([s.state, s.exitCode], ['CONTAINER_EXITED', 137]);
      assert.ok(Date.now() - began >= 900, 'waited for the grace period');
    } finally {
      runtime.close();
    }
  });

  it('cleans up its temporary directories', () => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
});
