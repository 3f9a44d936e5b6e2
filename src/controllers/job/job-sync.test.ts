import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Job, JobSpec } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/index.js';
import type { EventRecorder, ResourceClient } from '../../client/index.js';
import { ManualClock } from '../../lib/index.js';
import { ControllerExpectations } from '../runtime/expectations.js';
import { BackoffStore, remainingBackoffMs } from './job-backoff.js';
import { JobSync } from './job-sync.js';
import { FinalizerExpectations } from './job-sync-context.js';
import { JobTrackingFinalizer } from './job-pods.js';
import { formatIndexes, parseIndexes } from './completion-index.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';

const T0 = Date.parse('2024-05-01T10:00:00Z');

/** In-memory stand-ins for the two clients JobSync uses: status writes are recorded, Pods kept in a map. */
function fakes() {
  const statuses: NonNullable<Job['status']>[] = [];
  const pods = new Map<string, Pod>();
  const events: string[] = [];
  let n = 0;
  const jobs = {
    updateStatus: async (_ns: string, job: Job) => {
      statuses.push(structuredClone(job.status ?? {}));
      return structuredClone(job);
    },
  } as unknown as ResourceClient<Job>;
  const podClient = {
    create: async (ns: string, pod: Pod) => {
      n++;
      const created: Pod = { ...structuredClone(pod), metadata: { ...pod.metadata, namespace: ns, name: `${pod.metadata?.generateName ?? ''}p${n}`, uid: `pod-${n}` } };
      pods.set(created.metadata!.name!, created);
      return created;
    },
    patch: async (_ns: string, name: string, _type: string, patch: { metadata: Record<string, string[]> }) => {
      const pod = pods.get(name);
      if (!pod) throw ApiError.notFound({ group: '', resource: 'pods' }, name);
      const drop = patch.metadata['$deleteFromPrimitiveList/finalizers'] ?? [];
      pod.metadata!.finalizers = (pod.metadata!.finalizers ?? []).filter((f) => !drop.includes(f));
      return pod;
    },
    delete: async (_ns: string, name: string) => {
      pods.delete(name);
      return {};
    },
  } as unknown as ResourceClient<Pod>;
  const recorder = { event: (_o: unknown, _t: string, reason: string) => events.push(reason) } as unknown as EventRecorder;
  const clock = new ManualClock(T0);
  const sync = new JobSync({
    jobs,
    pods: podClient,
    recorder,
    clock,
    expectations: new ControllerExpectations(clock),
    finalizerExpectations: new FinalizerExpectations(),
    backoff: new BackoffStore(),
    backoffBaseMs: 10_000,
    backoffMaxMs: 360_000,
  });
  return { sync, statuses, pods, events, clock };
}

function job(spec: Partial<JobSpec>, status: Job['status'] = {}): Job {
  return {
    metadata: { name: 'pi', namespace: 'default', uid: 'job-uid' },
    spec: { backoffLimit: 6, parallelism: 1, completions: 1, template: { metadata: { labels: { 'job-name': 'pi' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...spec },
    status,
  };
}

function pod(name: string, phase: string, extra: { exitCode?: number; index?: number; finishedAt?: string } = {}): Pod {
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      finalizers: [JobTrackingFinalizer],
      ...(extra.index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': String(extra.index) } } : {}),
    },
    status: {
      phase,
      ...(extra.exitCode !== undefined ? { containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: extra.exitCode, finishedAt: extra.finishedAt ?? '2024-05-01T10:00:00Z' } } }] } : {}),
    },
  };
}

describe('JobSync (syncJob)', () => {
  it('creates min(parallelism, completions) Pods with the tracking finalizer and sets startTime and active', async () => {
    const f = fakes();
    await f.sync.sync(job({ completions: 3, parallelism: 2 }), []);
    assert.equal(f.pods.size, 2);
    for (const p of f.pods.values()) {
      assert.deepEqual(p.metadata?.finalizers, [JobTrackingFinalizer]);
      assert.equal(p.metadata?.generateName, 'pi-');
      assert.equal(p.metadata?.ownerReferences?.[0]?.kind, 'Job');
    }
    const last = f.statuses.at(-1)!;
    assert.deepEqual(last, { startTime: '2024-05-01T10:00:00Z', uncountedTerminatedPods: {}, active: 2, ready: 0, terminating: 0 });
    assert.deepEqual(f.events, ['SuccessfulCreate', 'SuccessfulCreate']);
  });

  it('counts a succeeded Pod through uncountedTerminatedPods, removes its finalizer, then completes', async () => {
    const f = fakes();
    const done = pod('pi-a', 'Succeeded', { exitCode: 0 });
    f.pods.set('pi-a', done);
    await f.sync.sync(job({}, { startTime: '2024-05-01T09:59:00Z', active: 1 }), [done]);
    assert.equal(f.statuses.length, 2);
    assert.deepEqual(f.statuses[0]!.uncountedTerminatedPods, { succeeded: ['uid-pi-a'] });
    assert.deepEqual(f.statuses[0]!.conditions?.map((c) => c.type), ['SuccessCriteriaMet']);
    assert.deepEqual(f.pods.get('pi-a')?.metadata?.finalizers, []);
    const final = f.statuses[1]!;
    assert.equal(final.succeeded, 1);
    assert.deepEqual(final.uncountedTerminatedPods, {});
    assert.deepEqual(final.conditions?.map((c) => [c.type, c.reason]), [
      ['SuccessCriteriaMet', 'CompletionsReached'],
      ['Complete', 'CompletionsReached'],
    ]);
    assert.equal(final.completionTime, '2024-05-01T10:00:00Z');
    assert.deepEqual(f.events, ['Completed']);
  });

  it('past backoffLimit: FailureTarget, then Failed with BackoffLimitExceeded', async () => {
    const f = fakes();
    const failed = pod('pi-a', 'Failed', { exitCode: 1 });
    f.pods.set('pi-a', failed);
    await f.sync.sync(job({ backoffLimit: 0 }, { startTime: '2024-05-01T09:59:00Z' }), [failed]);
    const final = f.statuses.at(-1)!;
    assert.equal(final.failed, 1);
    assert.deepEqual(final.conditions?.map((c) => [c.type, c.reason, c.message]), [
      ['FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ['Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ]);
    assert.equal(final.completionTime, undefined);
    assert.deepEqual(f.events, ['BackoffLimitExceeded']);
  });

  it('within backoffLimit: the replacement waits for the backoff, counted from the failure', async () => {
    const f = fakes();
    f.clock.advance(4_000);
    const failed = pod('pi-a', 'Failed', { exitCode: 1, finishedAt: '2024-05-01T10:00:00Z' });
    f.pods.set('pi-a', failed);
    const result = await f.sync.sync(job({}, { startTime: '2024-05-01T09:59:00Z' }), [failed]);
    assert.equal(result.requeueAfterMs, 6_000);
    assert.equal(f.pods.size, 1);
    assert.equal(f.statuses.at(-1)!.failed, 1);
  });

  it('a podFailurePolicy FailJob rule fails the Job with its message, even below backoffLimit', async () => {
    const f = fakes();
    const failed = pod('pi-a', 'Failed', { exitCode: 42 });
    f.pods.set('pi-a', failed);
    const policy = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] };
    await f.sync.sync(job({ podFailurePolicy: policy }, { startTime: '2024-05-01T09:59:00Z' }), [failed]);
    const final = f.statuses.at(-1)!;
    assert.deepEqual(final.conditions?.map((c) => [c.type, c.reason]), [
      ['FailureTarget', 'PodFailurePolicy'],
      ['Failed', 'PodFailurePolicy'],
    ]);
    assert.equal(final.conditions?.[1]?.message, 'Container c for pod default/pi-a failed with exit code 42 matching FailJob rule at index 0');
  });

  it('Indexed: one Pod per pending index, skipping completed ones; completedIndexes as intervals', async () => {
    const f = fakes();
    const done = pod('pi-0-x', 'Succeeded', { index: 0 });
    f.pods.set('pi-0-x', done);
    await f.sync.sync(job({ completionMode: 'Indexed', completions: 4, parallelism: 2 }, { startTime: '2024-05-01T09:59:00Z' }), [done]);
    const created = [...f.pods.values()].filter((p) => p.metadata?.name !== 'pi-0-x');
    assert.deepEqual(created.map((p) => [p.metadata?.generateName, p.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'], p.spec?.hostname]).sort(), [
      ['pi-1-', '1', 'pi-1'],
      ['pi-2-', '2', 'pi-2'],
    ]);
    assert.equal(f.statuses.at(-1)!.completedIndexes, '0');
  });

  it('backoffLimitPerIndex: the replacement carries the failure count; the failed Pod keeps its finalizer until then', async () => {
    const f = fakes();
    f.clock.advance(20_000);
    const failed = pod('pi-0-a', 'Failed', { index: 0, exitCode: 1 });
    f.pods.set('pi-0-a', failed);
    const spec = { completionMode: 'Indexed', completions: 1, backoffLimitPerIndex: 1, backoffLimit: 2 ** 31 - 1 };
    await f.sync.sync(job(spec, { startTime: '2024-05-01T09:59:00Z' }), [failed]);
    const replacement = [...f.pods.values()].find((p) => p.metadata?.name !== 'pi-0-a');
    assert.equal(replacement?.metadata?.annotations?.['batch.kubernetes.io/job-index-failure-count'], '1');
    assert.deepEqual(f.pods.get('pi-0-a')?.metadata?.finalizers, [JobTrackingFinalizer]);
    assert.equal(f.statuses.at(-1)!.failedIndexes, '');
  });

  it('backoffLimitPerIndex: an index past its limit fails, and with it the Job (FailedIndexes)', async () => {
    const f = fakes();
    const failed = pod('pi-0-b', 'Failed', { index: 0, exitCode: 1 });
    failed.metadata!.annotations!['batch.kubernetes.io/job-index-failure-count'] = '1';
    f.pods.set('pi-0-b', failed);
    const spec = { completionMode: 'Indexed', completions: 1, backoffLimitPerIndex: 1, backoffLimit: 2 ** 31 - 1 };
    await f.sync.sync(job(spec, { startTime: '2024-05-01T09:59:00Z' }), [failed]);
    const final = f.statuses.at(-1)!;
    assert.equal(final.failedIndexes, '0');
    assert.equal(final.failed, 1);
    assert.deepEqual(final.conditions?.map((c) => [c.type, c.reason, c.message]), [
      ['FailureTarget', 'FailedIndexes', 'Job has failed indexes'],
      ['Failed', 'FailedIndexes', 'Job has failed indexes'],
    ]);
  });

  it('successPolicy: SuccessCriteriaMet (SuccessPolicy) once the rule matches; the other Pods are deleted first', async () => {
    const f = fakes();
    const done = pod('pi-0-a', 'Succeeded', { index: 0 });
    const running = pod('pi-1-a', 'Running', { index: 1 });
    f.pods.set('pi-0-a', done);
    f.pods.set('pi-1-a', running);
    const spec = { completionMode: 'Indexed', completions: 3, parallelism: 3, successPolicy: { rules: [{ succeededIndexes: '0' }] } };
    await f.sync.sync(job(spec, { startTime: '2024-05-01T09:59:00Z', active: 1 }), [done, running]);
    assert.equal(f.pods.has('pi-1-a'), false);
    const final = f.statuses.at(-1)!;
    assert.deepEqual(final.conditions?.map((c) => [c.type, c.reason, c.message]), [['SuccessCriteriaMet', 'SuccessPolicy', 'Matched rules at index 0']]);
    assert.equal(final.completedIndexes, '0');
    assert.equal(final.terminating, 1);
  });

  it('suspend: deletes active Pods and reports Suspended', async () => {
    const f = fakes();
    const running = pod('pi-a', 'Running');
    f.pods.set('pi-a', running);
    await f.sync.sync(job({ suspend: true }, { startTime: '2024-05-01T09:59:00Z', active: 1 }), [running]);
    assert.equal(f.pods.size, 0);
    const final = f.statuses.at(-1)!;
    assert.deepEqual(final.conditions?.map((c) => [c.type, c.status, c.reason]), [['Suspended', 'True', 'JobSuspended']]);
    assert.deepEqual(f.events, ['SuccessfulDelete', 'Suspended']);
  });
});

describe('job backoff, indexes and podFailurePolicy', () => {
  it('10 s doubling per failure since the last success, at most 6 minutes', () => {
    const rec = (n: number) => ({ key: 'k', failuresAfterLastSuccess: n, lastFailureTime: T0 });
    assert.equal(remainingBackoffMs(rec(0), T0), 0);
    assert.equal(remainingBackoffMs(rec(1), T0), 10_000);
    assert.equal(remainingBackoffMs(rec(3), T0 + 5_000), 35_000);
    assert.equal(remainingBackoffMs(rec(20), T0), 360_000);
    assert.equal(remainingBackoffMs(rec(2), T0 + 30_000), 0);
  });

  it('completedIndexes text', () => {
    assert.equal(formatIndexes([5, 1, 2, 3, 7, 8]), '1-3,5,7-8');
    assert.deepEqual([...parseIndexes('1-3,5,9', 6)].sort(), [1, 2, 3, 5]);
  });

  it('Ignore does not count, Count counts, conditions match with their status', () => {
    const failed = pod('p', 'Failed', { exitCode: 3 });
    failed.status!.conditions = [{ type: 'DisruptionTarget', status: 'True' }];
    const policy = (action: string) => ({ rules: [{ action, onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] });
    assert.deepEqual(matchPodFailurePolicy(policy('Ignore'), failed), { countFailed: false, action: 'Ignore' });
    assert.deepEqual(matchPodFailurePolicy(policy('Count'), failed), { countFailed: true, action: 'Count' });
    assert.equal(matchPodFailurePolicy(policy('FailJob'), failed).failJobMessage, 'Pod default/p has condition DisruptionTarget matching FailJob rule at index 0');
    assert.deepEqual(matchPodFailurePolicy({ rules: [{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [3] } }] }, failed), { countFailed: true });
  });
});
