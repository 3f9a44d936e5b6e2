import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ManualClock } from '../lib/index.js';
import { ContainerBackoff } from './container-backoff.js';
import { goDuration, PodSync } from './pod-sync.js';
import { SIMULATION_ANNOTATIONS, SimulatedRuntime } from './runtime/index.js';

const tick = () => new Promise((r) => setImmediate(r));

function setup(baseMs = 10_000) {
  const clock = new ManualClock(Date.UTC(2025, 0, 1));
  const runtime = new SimulatedRuntime({ clock });
  const sync = new PodSync({ runtime, clock, hostIP: '10.0.0.1', runtimeName: 'simulated', backoff: new ContainerBackoff(clock, baseMs) });
  /** Syncs until the sync stops asking to be called again at once (bounded). */
  const settle = async (pod: Pod) => {
    let result = await sync.sync(pod);
    for (let i = 0; i < 20 && result.requeueAfterMs === 0 && !result.terminal; i++) result = await sync.sync(pod);
    return result;
  };
  return { clock, runtime, sync, settle };
}

const pod = (annotations: Record<string, string> = {}, spec: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name: 'p', namespace: 'ns', uid: 'uid-1', annotations },
  spec: { nodeName: 'n', containers: [{ name: 'c', image: 'nginx' }], ...spec },
  status: { phase: 'Pending', qosClass: 'BestEffort' },
});

describe('PodSync', () => {
  it('reports ContainerCreating first, then Running and Ready with IPs, image and container ids', async () => {
    const { sync, settle } = setup();
    const p = pod();
    const first = await sync.sync(p);
    assert.equal(first.status.phase, 'Pending');
    assert.equal(first.status.containerStatuses?.[0]?.state?.waiting?.reason, 'ContainerCreating');
    const { status } = await settle(p);
    assert.equal(status.phase, 'Running');
    const cs = status.containerStatuses?.[0];
    assert.ok(cs?.state?.running);
    assert.equal(cs?.ready, true);
    assert.equal(cs?.started, true);
    assert.equal(cs?.image, 'docker.io/library/nginx:latest');
    assert.match(cs?.imageID ?? '', /^docker\.io\/library\/nginx@sha256:/);
    assert.match(cs?.containerID ?? '', /^simulated:\/\/[0-9a-f]{64}$/);
    assert.deepEqual(status.conditions?.map((c) => [c.type, c.status]), [
      ['PodReadyToStartContainers', 'True'],
      ['Initialized', 'True'],
      ['Ready', 'True'],
      ['ContainersReady', 'True'],
      ['PodScheduled', 'True'],
    ]);
    assert.equal(status.hostIP, '10.0.0.1');
    assert.match(status.podIP ?? '', /^10\.244\.0\.\d+$/);
  });

  it('keeps transition and start times from the status it last decided while the Pod it is given is stale', async () => {
    const { sync, clock } = setup();
    const stale = pod();
    const first = await sync.sync(stale);
    clock.advance(5_000);
    // The informer has not yet seen the first status: the Pod still carries none of it.
    const second = await sync.sync(stale, first.status);
    assert.equal(second.status.phase, 'Running');
    assert.equal(second.status.startTime, first.status.startTime);
    const since = (s: typeof first.status, type: string) => s.conditions?.find((c) => c.type === type)?.lastTransitionTime;
    for (const type of ['Initialized', 'PodScheduled']) assert.equal(since(second.status, type), since(first.status, type), type);
    // Nothing changed since: the same status again, so the status manager has nothing to write.
    clock.advance(5_000);
    const again = await sync.sync(stale, second.status);
    assert.deepEqual(again.status, second.status);
    // Without it, the times are those of now, as for a Pod seen the first time.
    const fresh = await sync.sync(stale);
    assert.notEqual(fresh.status.startTime, first.status.startTime);
    // Conditions the API owns come from the Pod, not from the kubelet's copy.
    const withTarget: Pod = { ...stale, status: { ...stale.status, conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager' }] } };
    const third = await sync.sync(withTarget, second.status);
    assert.equal(third.status.conditions?.find((c) => c.type === 'DisruptionTarget')?.reason, 'DeletionByTaintManager');
  });

  it('restarts a failing container with CrashLoopBackOff delays 1 s, 2 s, 4 s', async () => {
    const { settle, clock } = setup(1000);
    const p = pod({ [SIMULATION_ANNOTATIONS.exitAfter + 'c']: '100ms', [SIMULATION_ANNOTATIONS.exitCode + 'c']: '1' });
    await settle(p);
    const delays: string[] = [];
    for (let i = 0; i < 40 && delays.length < 3; i++) {
      clock.advance(100);
      await tick();
      const r = await settle(p);
      const waiting = r.status.containerStatuses?.[0]?.state?.waiting;
      if (waiting?.reason === 'CrashLoopBackOff') {
        const d = /back-off (\S+) restarting failed container=c pod=p_ns\(uid-1\)/.exec(waiting.message ?? '')?.[1];
        if (d && delays.at(-1) !== d) delays.push(d);
        assert.equal(r.status.containerStatuses?.[0]?.lastState?.terminated?.exitCode, 1);
        assert.equal(r.status.containerStatuses?.[0]?.lastState?.terminated?.reason, 'Error');
        assert.equal(r.status.phase, 'Running');
        clock.advance(r.requeueAfterMs ?? 0);
      }
    }
    assert.deepEqual(delays, ['1s', '2s', '4s']);
    assert.equal(goDuration(300_000), '5m0s');
  });

  it('runs init containers first; a Never Pod whose container fails ends Failed with its exit code', async () => {
    const { settle, clock, sync } = setup();
    const p = pod({ [SIMULATION_ANNOTATIONS.exitAfter + 'c']: '1s', [SIMULATION_ANNOTATIONS.exitCode + 'c']: '3' }, { restartPolicy: 'Never', initContainers: [{ name: 'init', image: 'busybox' }] });
    await settle(p);
    clock.advance(10);
    let r = await settle(p);
    assert.equal(r.status.initContainerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
    assert.equal(r.status.phase, 'Running');
    clock.advance(1000);
    r = await settle(p);
    assert.equal(r.terminal, true);
    assert.equal(r.status.phase, 'Failed');
    assert.equal(r.status.containerStatuses?.[0]?.state?.terminated?.exitCode, 3);
    await sync.kill(p, 30);
    const final = sync.status(p, await sync.observe(p, true));
    assert.equal(final.phase, 'Failed');
    assert.equal(final.conditions?.find((c) => c.type === 'Ready')?.reason, 'PodCompleted');
  });

  it('a killed Pod reports its containers terminated; remove leaves nothing in the runtime', async () => {
    const { settle, sync, runtime } = setup();
    const p = pod();
    await settle(p);
    await sync.kill(p, 30);
    const status = sync.status(p, await sync.observe(p, true));
    assert.equal(status.containerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
    assert.equal(status.phase, 'Succeeded');
    await sync.remove('uid-1');
    assert.deepEqual(await runtime.listPodSandboxes(), []);
  });
});
