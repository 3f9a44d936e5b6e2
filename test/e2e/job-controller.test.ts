// The Job and TTL-after-finished controllers in `skiff controller-manager` (a real process) with `skiff apiserver`,
// `skiff scheduler` and a `skiff kubelet`, driven by the real kubectl 1.27 and 1.33: completions and parallelism,
// kubectl wait, backoffLimit, podFailurePolicy, Indexed Jobs, activeDeadlineSeconds, suspend,
// ttlSecondsAfterFinished, and `kubectl create job --from=cronjob/…`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob, Job, JobSpec } from 'kubernetes-types/batch/v1.js';
import type { Event as CoreEvent, Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../src/api/index.js';
import type { ResourceClient } from '../../src/client/index.js';
import { startBatchCluster, until, workload, type BatchCluster } from '../support/batch-cluster.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';

const skip = kubectlSkipReason('1.27') ?? kubectlSkipReason('1.33');

describe('the Job controller (apiserver, controller-manager, scheduler, kubelet processes)', { skip }, () => {
  let c: BatchCluster;
  let jobs: ResourceClient<Job>;
  let pods: ResourceClient<Pod>;
  let events: ResourceClient<CoreEvent>;
  const ns = 'default';

  before(async () => {
    c = await startBatchCluster(['--job-pod-failure-backoff', '100ms']);
    jobs = c.client.kind<Job>('batch/v1', 'Job');
    pods = c.client.kind<Pod>('v1', 'Pod');
    events = c.client.kind<CoreEvent>('v1', 'Event');
  });
  after(async () => {
    await c?.stop();
  });

  const createJob = (name: string, spec: Omit<JobSpec, 'template'> & { template: JobSpec['template'] }) => jobs.create(ns, { metadata: { name }, spec });
  const podsOf = async (name: string) => (await pods.list(ns, { labelSelector: `batch.kubernetes.io/job-name=${name}` })).items;
  const condition = (job: Job, type: string) => job.status?.conditions?.find((x) => x.type === type && x.status === 'True');
  const finished = (name: string, type: 'Complete' | 'Failed', timeoutMs = 30_000) =>
    until(`job ${name} ${type}`, async () => {
      const job = await jobs.get(ns, name);
      return condition(job, type) ? job : undefined;
    }, timeoutMs);
  const reasons = async (name: string) => (await events.list(ns, { fieldSelector: `involvedObject.name=${name}` })).items.map((e) => e.reason);

  test('completions 3, parallelism 2: never more than 2 active, Complete, kubectl wait returns (1.27 and 1.33)', async () => {
    const watch = pods.watch(ns, { labelSelector: 'batch.kubernetes.io/job-name=three', resourceVersion: '0' });
    let maxActive = 0;
    const active = new Map<string, boolean>();
    const watching = (async () => {
      for await (const ev of watch) {
        const pod = ev.object as Pod;
        const name = pod.metadata?.name ?? '';
        const running = ev.type !== 'DELETED' && !pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
        active.set(name, running);
        maxActive = Math.max(maxActive, [...active.values()].filter(Boolean).length);
        if ([...active.values()].filter((v) => !v).length >= 3) return;
      }
    })();
    await createJob('three', { completions: 3, parallelism: 2, template: workload({ runMs: 300 }) });
    for (const version of ['1.27', '1.33']) {
      const k = kubectl(version, c.server.kubeconfig);
      try {
        const out = await k.ok(['wait', '--for=condition=complete', 'job/three', '--timeout=60s']);
        assert.match(out, /job.batch\/three condition met/);
        const table = await k.ok(['get', 'jobs']);
        assert.match(table, /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE/m);
        assert.match(table, /^three\s+Complete\s+3\/3\s+\d+s\s+\d+s/m);
      } finally {
        k.cleanup();
      }
    }
    await until('three finished Pods seen', () => [...active.values()].filter((v) => !v).length >= 3);
    await watching;
    assert.ok(maxActive <= 2, `at most 2 active Pods, saw ${maxActive}`);
    const job = await jobs.get(ns, 'three');
    assert.equal(job.status?.succeeded, 3);
    assert.equal(job.status?.active, undefined);
    assert.equal(job.status?.ready, 0);
    assert.equal(job.status?.terminating, 0);
    assert.deepEqual(job.status?.uncountedTerminatedPods, {});
    assert.ok(job.status?.startTime && job.status.completionTime);
    assert.deepEqual(job.status?.conditions?.map((x) => [x.type, x.status, x.reason]), [
      ['SuccessCriteriaMet', 'True', 'CompletionsReached'],
      ['Complete', 'True', 'CompletionsReached'],
    ]);
    const created = await podsOf('three');
    assert.equal(created.length, 3);
    for (const pod of created) {
      assert.match(pod.metadata?.name ?? '', /^three-[a-z0-9]{5}$/);
      assert.equal(pod.metadata?.labels?.['batch.kubernetes.io/controller-uid'], job.metadata?.uid);
      assert.equal(pod.metadata?.labels?.['job-name'], 'three');
      assert.equal(pod.metadata?.ownerReferences?.[0]?.kind, 'Job');
      assert.deepEqual(pod.metadata?.finalizers ?? [], [], 'the tracking finalizer is removed once counted');
    }
    await until('3 SuccessfulCreate events', async () => (await reasons('three')).filter((r) => r === 'SuccessfulCreate').length === 3);
    await until('the Completed event', async () => (await reasons('three')).includes('Completed'));
  });

  test('exit 1 with backoffLimit 2: Failed with BackoffLimitExceeded after 3 Pods', async () => {
    await createJob('fails', { backoffLimit: 2, template: workload({ runMs: 100, exitCode: 1 }) });
    const job = await finished('fails', 'Failed');
    assert.equal(job.status?.failed, 3);
    assert.equal(condition(job, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(condition(job, 'Failed')?.message, 'Job has reached the specified backoff limit');
    assert.equal(condition(job, 'FailureTarget')?.reason, 'BackoffLimitExceeded');
    assert.equal((await podsOf('fails')).length, 3);
    await until('the BackoffLimitExceeded event', async () => (await reasons('fails')).includes('BackoffLimitExceeded'));
    const k = kubectl('1.33', c.server.kubeconfig);
    try {
      assert.match(await k.ok(['get', 'job', 'fails']), /^fails\s+Failed\s+0\/1\s/m);
    } finally {
      k.cleanup();
    }
  });

  test('a podFailurePolicy FailJob rule on exit code 42 fails the Job at once', async () => {
    await createJob('exit42', {
      backoffLimit: 6,
      podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'c', operator: 'In', values: [42] } }] },
      template: workload({ runMs: 100, exitCode: 42 }),
    });
    const job = await finished('exit42', 'Failed');
    const failed = condition(job, 'Failed');
    assert.equal(failed?.reason, 'PodFailurePolicy');
    const pod = (await podsOf('exit42'))[0]!;
    assert.equal(failed?.message, `Container c for pod default/${pod.metadata?.name} failed with exit code 42 matching FailJob rule at index 0`);
    assert.equal((await podsOf('exit42')).length, 1);
    assert.equal(job.status?.failed, 1);
  });

  test('an Ignore rule on exit code 3 does not count the failures', async () => {
    await createJob('ignored', {
      backoffLimit: 0,
      completions: 1,
      podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } }] },
      template: workload({ runMs: 100, exitCode: 3 }),
    });
    await until('3 ignored failures', async () => (await podsOf('ignored')).filter((p) => p.status?.phase === 'Failed').length >= 3);
    const job = await jobs.get(ns, 'ignored');
    assert.equal(condition(job, 'Failed'), undefined);
    assert.equal(job.status?.failed, undefined);
    await jobs.delete(ns, 'ignored', { propagationPolicy: 'Background' });
  });

  test('an Indexed Job gives each Pod its index: annotation, label, hostname, env and name', async () => {
    await createJob('indexed', { completions: 3, parallelism: 3, completionMode: 'Indexed', template: workload({ runMs: 200 }) });
    const job = await finished('indexed', 'Complete');
    assert.equal(job.status?.completedIndexes, '0-2');
    assert.equal(job.status?.succeeded, 3);
    const indexed = await podsOf('indexed');
    assert.deepEqual(indexed.map((p) => p.metadata?.annotations?.['batch.kubernetes.io/job-completion-index']).sort(), ['0', '1', '2']);
    for (const pod of indexed) {
      const ix = pod.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'];
      assert.match(pod.metadata?.name ?? '', new RegExp(`^indexed-${ix}-[a-z0-9]{5}$`));
      assert.equal(pod.metadata?.labels?.['batch.kubernetes.io/job-completion-index'], ix);
      assert.equal(pod.spec?.hostname, `indexed-${ix}`);
      const env = pod.spec?.containers[0]?.env?.find((e) => e.name === 'JOB_COMPLETION_INDEX');
      assert.equal(env?.valueFrom?.fieldRef?.fieldPath, "metadata.annotations['batch.kubernetes.io/job-completion-index']");
    }
  });

  test('backoffLimitPerIndex 1: each index is tried twice, then the Job fails with FailedIndexes; FailIndex fails an index at once', async () => {
    await createJob('perindex', {
      completions: 2,
      parallelism: 2,
      completionMode: 'Indexed',
      backoffLimitPerIndex: 1,
      template: workload({ runMs: 100, exitCode: 1 }),
    });
    let job = await finished('perindex', 'Failed');
    assert.equal(condition(job, 'Failed')?.reason, 'FailedIndexes');
    assert.equal(job.status?.failedIndexes, '0-1');
    assert.equal(job.status?.failed, 4);
    const counts = (await podsOf('perindex')).map((p) => p.metadata?.annotations?.['batch.kubernetes.io/job-index-failure-count']).sort();
    assert.deepEqual(counts, ['0', '0', '1', '1']);

    await createJob('failindex', {
      completions: 2,
      parallelism: 2,
      completionMode: 'Indexed',
      backoffLimitPerIndex: 3,
      podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [42] } }] },
      template: workload({ runMs: 100, exitCode: 42 }),
    });
    job = await finished('failindex', 'Failed');
    assert.equal(condition(job, 'Failed')?.reason, 'FailedIndexes');
    assert.equal(job.status?.failedIndexes, '0-1');
    assert.equal((await podsOf('failindex')).length, 2);
  });

  test('activeDeadlineSeconds fails a running Job with DeadlineExceeded and deletes its Pods', async () => {
    await createJob('deadline', { activeDeadlineSeconds: 2, template: workload() });
    const job = await finished('deadline', 'Failed');
    assert.equal(condition(job, 'Failed')?.reason, 'DeadlineExceeded');
    assert.equal(condition(job, 'Failed')?.message, 'Job was active longer than specified deadline');
    await until('the Pod gone', async () => (await podsOf('deadline')).every((p) => p.status?.phase === 'Failed' || p.metadata?.deletionTimestamp) || false);
  });

  test('suspend: no Pods and a Suspended condition; resuming runs the Job', async () => {
    await createJob('paused', { suspend: true, template: workload({ runMs: 100 }) });
    await until('Suspended', async () => condition(await jobs.get(ns, 'paused'), 'Suspended'));
    assert.equal((await podsOf('paused')).length, 0);
    assert.equal((await jobs.get(ns, 'paused')).status?.startTime, undefined);
    await jobs.patch(ns, 'paused', 'merge', { spec: { suspend: false } });
    const job = await finished('paused', 'Complete');
    const suspended = job.status?.conditions?.find((x) => x.type === 'Suspended');
    assert.deepEqual([suspended?.status, suspended?.reason], ['False', 'JobResumed']);
    await until('the Resumed event', async () => (await reasons('paused')).includes('Resumed'));
  });

  test('ttlSecondsAfterFinished 0 removes a finished Job and its Pods', async () => {
    await createJob('ttl', { ttlSecondsAfterFinished: 0, template: workload({ runMs: 100 }) });
    const uid = (await jobs.get(ns, 'ttl')).metadata?.uid;
    await until('the Job deleted', async () => {
      try {
        const job = await jobs.get(ns, 'ttl');
        return job.metadata?.uid !== uid;
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) return true;
        throw err;
      }
    });
    await until('its Pods deleted', async () => (await podsOf('ttl')).length === 0);
  });

  test('kubectl delete job (1.27): the running Job\'s Pods lose the tracking finalizer and go', async () => {
    await createJob('doomed', { parallelism: 2, completions: 2, template: workload() });
    await until('2 running Pods', async () => (await podsOf('doomed')).filter((p) => p.status?.phase === 'Running').length === 2);
    const k = kubectl('1.27', c.server.kubeconfig);
    try {
      await k.ok(['delete', 'job', 'doomed']);
    } finally {
      k.cleanup();
    }
    await until('the Pods gone', async () => (await podsOf('doomed')).length === 0);
  });

  test('kubectl create job --from=cronjob/x (1.27 and 1.33) runs a Job owned by the CronJob', async () => {
    const cronJobs = c.client.kind<CronJob>('batch/v1', 'CronJob');
    await cronJobs.create(ns, { metadata: { name: 'nightly' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: workload({ runMs: 100 }) } } } });
    for (const version of ['1.27', '1.33']) {
      const k = kubectl(version, c.server.kubeconfig);
      const name = `manual-${version.replace('.', '')}`;
      try {
        assert.match(await k.ok(['create', 'job', name, '--from=cronjob/nightly']), new RegExp(`job.batch/${name} created`));
        await k.ok(['wait', '--for=condition=complete', `job/${name}`, '--timeout=60s']);
      } finally {
        k.cleanup();
      }
      const job = await jobs.get(ns, name);
      assert.equal(job.metadata?.annotations?.['cronjob.kubernetes.io/instantiate'], 'manual');
      assert.equal(job.metadata?.ownerReferences?.[0]?.kind, 'CronJob');
    }
  });
});
