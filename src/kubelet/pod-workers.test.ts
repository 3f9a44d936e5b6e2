import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ManualClock } from '../lib/index.js';
import { type PodLifecycle, PodWorkers } from './pod-workers.js';

const pod = (rv: string, deleting = false): Pod => ({
  metadata: { name: 'p', namespace: 'ns', uid: 'u', resourceVersion: rv, ...(deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z', deletionGracePeriodSeconds: 7 } : {}) },
  spec: { containers: [] },
});

function recorder(syncDelay?: Promise<void>) {
  const calls: string[] = [];
  const lifecycle: PodLifecycle = {
    async syncPod(p) {
      calls.push(`sync ${p.metadata?.resourceVersion}`);
      await syncDelay;
      return { terminal: false };
    },
    syncTerminatingPod(p, grace) {
      calls.push(`terminating ${p.metadata?.resourceVersion} ${grace}`);
      return Promise.resolve();
    },
    syncTerminatedPod(p, removed) {
      calls.push(`terminated ${p.metadata?.resourceVersion} ${removed}`);
      return Promise.resolve();
    },
  };
  return { calls, lifecycle };
}

describe('PodWorkers', () => {
  it('serializes one Pod and runs the last update given while a pass was running', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { calls, lifecycle } = recorder(gate);
    const workers = new PodWorkers({ lifecycle, clock: new ManualClock() });
    workers.update(pod('1'));
    workers.update(pod('2'));
    workers.update(pod('3'));
    release();
    await workers.whenIdle();
    assert.deepEqual(calls, ['sync 1', 'sync 3']);
  });

  it('goes syncing → terminating (with the deletion grace period) → terminated, and forgets the Pod once removed', async () => {
    const { calls, lifecycle } = recorder();
    const workers = new PodWorkers({ lifecycle, clock: new ManualClock() });
    workers.update(pod('1'));
    await workers.whenIdle();
    workers.update(pod('2', true));
    await workers.whenIdle();
    assert.equal(workers.state('u'), 'terminated');
    workers.update(pod('3'));
    await workers.whenIdle();
    assert.equal(workers.state('u'), 'terminated', 'never back to syncing');
    workers.remove(pod('3'));
    await workers.whenIdle();
    assert.equal(workers.size, 0);
    assert.deepEqual(calls, ['sync 1', 'terminating 2 7', 'terminated 2 false', 'terminated 3 false', 'terminated 3 true']);
  });

  it('retries a failed sync after a back-off on the clock, and requeues when asked', async () => {
    const clock = new ManualClock();
    let n = 0;
    const lifecycle: PodLifecycle = {
      syncPod() {
        n++;
        if (n === 1) return Promise.reject(new Error('boom'));
        return Promise.resolve({ terminal: false, requeueAfterMs: n === 2 ? 5000 : undefined });
      },
      syncTerminatingPod: () => Promise.resolve(),
      syncTerminatedPod: () => Promise.resolve(),
    };
    const workers = new PodWorkers({ lifecycle, clock });
    workers.update(pod('1'));
    await workers.whenIdle();
    assert.equal(n, 1);
    clock.advance(1000);
    await workers.whenIdle();
    assert.equal(n, 2);
    clock.advance(4999);
    await workers.whenIdle();
    assert.equal(n, 2);
    clock.advance(1);
    await workers.whenIdle();
    assert.equal(n, 3);
  });
});
