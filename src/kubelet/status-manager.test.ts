import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../api/index.js';
import type { ResourceClient } from '../client/index.js';
import { ManualClock } from '../lib/index.js';
import { StatusManager } from './status-manager.js';

const pod = (status?: PodStatus): Pod => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { containers: [] }, ...(status ? { status } : {}) });
const running: PodStatus = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
const pending: PodStatus = { phase: 'Pending' };

/** A Pods API whose status patches wait for `release` when gated, and fail with `fail` when set. */
function fakePods() {
  const calls: { op: string; body?: unknown; opts?: unknown }[] = [];
  let gate: Promise<void> | undefined;
  let open: () => void = () => {};
  let fail: Error | undefined;
  const pods = {
    patch: async (ns: string, name: string, type: string, body: unknown, opts: unknown) => {
      calls.push({ op: `patch ${ns}/${name} ${type}`, body, opts });
      await gate;
      if (fail) throw fail;
      return {};
    },
    delete: async (ns: string, name: string, opts: unknown) => {
      calls.push({ op: `delete ${ns}/${name}`, opts });
      if (fail) throw fail;
      return {};
    },
  };
  return {
    calls,
    pods: pods as unknown as ResourceClient<Pod>,
    hold: () => (gate = new Promise<void>((r) => (open = r))),
    release: () => {
      gate = undefined;
      open();
    },
    failWith: (e: Error | undefined) => (fail = e),
  };
}

describe('StatusManager', () => {
  it('does not count a null the server dropped (or added) as a change', async () => {
    const api = fakePods();
    const sm = new StatusManager(api.pods);
    const withNull: PodStatus = { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null as unknown as string }] };
    const without: PodStatus = { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }] };
    await sm.setPodStatus(pod(withNull), without);
    await sm.setPodStatus(pod(without), withNull);
    assert.equal(api.calls.length, 0);
  });

  it('patches pods/<name>/status with the uid, only when the status differs from the one written or held by the API', async () => {
    const api = fakePods();
    const sm = new StatusManager(api.pods);
    await sm.setPodStatus(pod(pending), pending);
    assert.equal(api.calls.length, 0, 'the API holds that status already');
    await sm.setPodStatus(pod(pending), running);
    assert.deepEqual(api.calls, [{ op: 'patch ns/p merge', body: { metadata: { uid: 'u1' }, status: running }, opts: { subresource: 'status' } }]);
    // The same status again, keys in another order: no write.
    await sm.setPodStatus(pod(pending), { conditions: [{ status: 'True', type: 'Ready' }], phase: 'Running' });
    assert.equal(api.calls.length, 1);
    assert.deepEqual(sm.getPodStatus('u1'), { conditions: [{ status: 'True', type: 'Ready' }], phase: 'Running' });
  });

  it('keeps one write in flight per Pod; statuses set meanwhile coalesce into one write of the newest', async () => {
    const api = fakePods();
    const sm = new StatusManager(api.pods);
    api.hold();
    const first = sm.setPodStatus(pod(), pending);
    const second = sm.setPodStatus(pod(), { phase: 'Running' });
    const third = sm.setPodStatus(pod(), running);
    assert.equal(api.calls.length, 1);
    api.release();
    await Promise.all([first, second, third]);
    assert.deepEqual(
      api.calls.map((c) => (c.body as { status: PodStatus }).status),
      [pending, running],
    );
  });

  it('drops a write the API answers NotFound or Conflict (the Pod is gone or another one took its name), reports other failures', async () => {
    const api = fakePods();
    const logged: string[] = [];
    const sm = new StatusManager(api.pods, (m) => logged.push(m));
    api.failWith(new ApiError({ code: 409, reason: 'Conflict', message: 'Precondition failed: UID in precondition: u1, UID in object meta: u2' }));
    await sm.setPodStatus(pod(), running);
    await sm.setPodStatus(pod(), running);
    assert.equal(api.calls.length, 1, 'not retried for the same status');
    api.failWith(new Error('connection reset'));
    await assert.rejects(sm.setPodStatus(pod(), pending), /connection reset/);
    assert.match(logged[0] ?? '', /pod ns\/p: status update failed: connection reset/);
    api.failWith(undefined);
    await sm.setPodStatus(pod(), pending);
    assert.equal(api.calls.length, 3, 'a failed write goes again with the next status');
  });

  it('deletes a Pod with grace 0 and its uid as precondition once its last status is written; forgets a Pod', async () => {
    const api = fakePods();
    const sm = new StatusManager(api.pods);
    api.hold();
    const status = sm.setPodStatus(pod(), running);
    const deletion = sm.deletePod(pod());
    assert.deepEqual(api.calls.map((c) => c.op), ['patch ns/p merge']);
    api.release();
    await Promise.all([status, deletion]);
    assert.deepEqual(api.calls[1], { op: 'delete ns/p', opts: { gracePeriodSeconds: 0, preconditions: { uid: 'u1' } } });
    api.failWith(new ApiError({ code: 404, reason: 'NotFound', message: 'pods "p" not found' }));
    await sm.deletePod(pod());
    sm.forget('u1');
    assert.equal(sm.getPodStatus('u1'), undefined);
  });

  it('holds a status that is about to be superseded: the next one set is written instead, or the held one after 500 ms', async () => {
    const api = fakePods();
    const clock = new ManualClock(0);
    const sm = new StatusManager(api.pods, () => {}, clock);
    sm.holdPodStatus(pod(), pending);
    clock.advance(499);
    assert.equal(api.calls.length, 0);
    await sm.setPodStatus(pod(), running);
    clock.advance(1000);
    assert.deepEqual(
      api.calls.map((c) => (c.body as { status: PodStatus }).status),
      [running],
      'one write, of the newer status',
    );
    assert.deepEqual(sm.getPodStatus('u1'), running);

    const late = fakePods();
    const held = new StatusManager(late.pods, () => {}, clock);
    held.holdPodStatus(pod(), pending);
    clock.advance(300);
    held.holdPodStatus(pod(), { phase: 'Pending', message: 'newer' });
    clock.advance(200);
    assert.deepEqual(
      late.calls.map((c) => (c.body as { status: PodStatus }).status),
      [{ phase: 'Pending', message: 'newer' }],
      'a pass that keeps holding does not postpone the write: the newest held status goes 500 ms after the first',
    );
    await new Promise((r) => setImmediate(r));
    held.holdPodStatus(pod(), { phase: 'Pending', message: 'newer' });
    clock.advance(1000);
    assert.equal(late.calls.length, 1, 'a held status the API has already is not written');
    held.holdPodStatus(pod(), running);
    held.forget('u1');
    clock.advance(1000);
    assert.equal(late.calls.length, 1, 'a forgotten Pod is not written');
  });
});
