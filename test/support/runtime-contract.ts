// The contract every container runtime (src/kubelet/runtime) must pass: ids, state transitions, idempotent stop and
// remove, sandboxes owning their containers, images, log locations and container events.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { type ContainerEvent, type ContainerRuntime, NotFoundError, type PodSandboxConfig } from '../../src/kubelet/index.js';

export interface RuntimeUnderTest {
  runtime: ContainerRuntime;
  /** Lets `ms` of the runtime's time pass (a manual clock advances; a real runtime waits). */
  elapse(ms: number): Promise<void>;
  /** Pod annotations that make container `name` exit with `code` after `afterMs`. */
  exitingAnnotations(name: string, code: number, afterMs: number): Record<string, string>;
  close?(): Promise<void>;
}

const sandboxConfig = (annotations: Record<string, string> = {}): PodSandboxConfig => ({
  metadata: { name: 'p', namespace: 'ns', uid: randomUUID(), attempt: 0 },
  annotations,
});

/** Waits until `check` holds, letting runtime time pass in small steps; bounded. */
async function eventually(rt: RuntimeUnderTest, what: string, check: () => Promise<boolean>, maxMs = 10_000): Promise<void> {
  for (let waited = 0; waited <= maxMs; waited += 50) {
    if (await check()) return;
    await rt.elapse(50);
  }
  assert.fail(`${what} did not happen within ${maxMs} ms`);
}

export function runtimeContract(name: string, make: () => Promise<RuntimeUnderTest>): void {
  describe(`runtime contract: ${name}`, () => {
    const withRuntime = (fn: (rt: RuntimeUnderTest) => Promise<void>) => async () => {
      const rt = await make();
      try {
        await fn(rt);
      } finally {
        await rt.close?.();
      }
    };

    test('a sandbox runs with an IP, is listed by pod uid, stops and is removed', withRuntime(async ({ runtime }) => {
      const config = sandboxConfig();
      const id = await runtime.runPodSandbox(config);
      const status = await runtime.podSandboxStatus(id);
      assert.equal(status.state, 'SANDBOX_READY');
      assert.equal(status.metadata.uid, config.metadata.uid);
      assert.match(status.ips[0] ?? '', /^\d+\.\d+\.\d+\.\d+$/);
      assert.deepEqual((await runtime.listPodSandboxes({ podUid: config.metadata.uid })).map((s) => s.id), [id]);
      await runtime.stopPodSandbox(id);
      await runtime.stopPodSandbox(id);
      assert.equal((await runtime.podSandboxStatus(id)).state, 'SANDBOX_NOTREADY');
      await runtime.removePodSandbox(id);
      await runtime.removePodSandbox(id);
      await assert.rejects(runtime.podSandboxStatus(id), NotFoundError);
    }));

    test('a container goes created → running → exited on stop, with times, image and a log path', withRuntime(async (rt) => {
      const { runtime } = rt;
      const config = sandboxConfig();
      const sandbox = await runtime.runPodSandbox(config);
      const events: ContainerEvent[] = [];
      const off = runtime.onContainerEvent((e) => events.push(e));
      const imageRef = await runtime.pullImage('nginx', config);
      // A repo digest (repo@sha256:…), or the image id when the runtime knows no digest (an image imported offline).
      assert.match(imageRef, /(^|@)sha256:[0-9a-f]{64}$/);
      assert.ok(await runtime.imageStatus('nginx'));
      const id = await runtime.createContainer(sandbox, { name: 'c', attempt: 0, image: 'nginx', imageRef }, config);
      const created = await runtime.containerStatus(id);
      assert.equal(created.state, 'CONTAINER_CREATED');
      assert.equal(created.name, 'c');
      assert.equal(created.podSandboxId, sandbox);
      assert.equal(created.imageRef, imageRef);
      assert.ok(runtime.containerLogPath(id).endsWith('.log'));
      await runtime.startContainer(id);
      const running = await runtime.containerStatus(id);
      assert.equal(running.state, 'CONTAINER_RUNNING');
      assert.ok(running.startedAt >= running.createdAt && running.createdAt > 0);
      await runtime.stopContainer(id, 30);
      await runtime.stopContainer(id, 30);
      const exited = await runtime.containerStatus(id);
      assert.equal(exited.state, 'CONTAINER_EXITED');
      assert.ok(exited.finishedAt >= exited.startedAt);
      assert.deepEqual(events.filter((e) => e.containerId === id).map((e) => e.type), ['CONTAINER_CREATED_EVENT', 'CONTAINER_STARTED_EVENT', 'CONTAINER_STOPPED_EVENT']);
      assert.ok(events.every((e) => e.podUid === config.metadata.uid));
      await runtime.removeContainer(id);
      await runtime.removeContainer(id);
      await assert.rejects(runtime.containerStatus(id), NotFoundError);
      assert.equal(events.at(-1)?.type, 'CONTAINER_DELETED_EVENT');
      off();
    }));

    test('a container that exits on its own reports its exit code and reason', withRuntime(async (rt) => {
      const { runtime } = rt;
      const config = sandboxConfig({ ...rt.exitingAnnotations('ok', 0, 100), ...rt.exitingAnnotations('bad', 3, 100) });
      const sandbox = await runtime.runPodSandbox(config);
      const imageRef = await runtime.pullImage('busybox', config);
      const ok = await runtime.createContainer(sandbox, { name: 'ok', attempt: 0, image: 'busybox', imageRef }, config);
      const bad = await runtime.createContainer(sandbox, { name: 'bad', attempt: 0, image: 'busybox', imageRef }, config);
      await runtime.startContainer(ok);
      await runtime.startContainer(bad);
      await eventually(rt, 'both exited', async () => (await runtime.listContainers({ podSandboxId: sandbox })).every((c) => c.state === 'CONTAINER_EXITED'));
      const okStatus = await runtime.containerStatus(ok);
      const badStatus = await runtime.containerStatus(bad);
      assert.deepEqual([okStatus.exitCode, okStatus.reason], [0, 'Completed']);
      assert.deepEqual([badStatus.exitCode, badStatus.reason], [3, 'Error']);
    }));

    test('ids are never reused; removing a sandbox removes its containers; unknown ids are NotFound', withRuntime(async ({ runtime }) => {
      const config = sandboxConfig();
      const a = await runtime.runPodSandbox(config);
      const b = await runtime.runPodSandbox({ ...config, metadata: { ...config.metadata, attempt: 1 } });
      assert.notEqual(a, b);
      const imageRef = await runtime.pullImage('nginx', config);
      const c1 = await runtime.createContainer(a, { name: 'c', attempt: 0, image: 'nginx', imageRef }, config);
      const c2 = await runtime.createContainer(a, { name: 'c', attempt: 1, image: 'nginx', imageRef }, config);
      assert.notEqual(c1, c2);
      await runtime.startContainer(c1);
      await runtime.removePodSandbox(a);
      assert.deepEqual(await runtime.listContainers({ podSandboxId: a }), []);
      await assert.rejects(runtime.containerStatus(c1), NotFoundError);
      await assert.rejects(runtime.startContainer('no-such-container'), NotFoundError);
      await runtime.removePodSandbox(b);
    }));
  });
}
