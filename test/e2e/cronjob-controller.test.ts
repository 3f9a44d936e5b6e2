// The CronJob controller in `skiff controller-manager` (a real process) with the Job controller, `skiff apiserver`,
// `skiff scheduler` and a `skiff kubelet`, driven by the real kubectl 1.27 and 1.33. One cluster reads schedules on a
// clock 30 times faster (--cronjob-clock-speed, a minute every 2 s) to see several slots: Allow with the history
// limits, Forbid, Replace; another runs `*/1 * * * *` across a real minute boundary.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob, CronJobSpec, Job } from 'kubernetes-types/batch/v1.js';
import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import type { ResourceClient } from '../../src/client/index.js';
import { startBatchCluster, until, workload, type BatchCluster } from '../support/batch-cluster.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl } from '../support/run-kubectl.js';

const skip = kubectlSkipReason('1.27') ?? kubectlSkipReason('1.33');
const ns = 'default';
const SPEED = 30;

interface Clients {
  cronJobs: ResourceClient<CronJob>;
  jobs: ResourceClient<Job>;
  events: ResourceClient<CoreEvent>;
}

function clients(c: BatchCluster): Clients {
  return { cronJobs: c.client.kind<CronJob>('batch/v1', 'CronJob'), jobs: c.client.kind<Job>('batch/v1', 'Job'), events: c.client.kind<CoreEvent>('v1', 'Event') };
}

const cronJob = (name: string, spec: Partial<CronJobSpec>, runMs?: number): CronJob => ({
  metadata: { name },
  spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { backoffLimit: 0, template: workload({ runMs }) } }, ...spec },
});

const ownedBy = (cj: CronJob) => (j: Job) => j.metadata?.ownerReferences?.some((r) => r.uid === cj.metadata?.uid) ?? false;
const isFinished = (j: Job) => j.status?.conditions?.some((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True') ?? false;

describe('the CronJob controller on a 30× schedule clock', { skip }, () => {
  let c: BatchCluster;
  let k: Clients;

  before(async () => {
    c = await startBatchCluster(['--cronjob-clock-speed', String(SPEED)]);
    k = clients(c);
  });
  after(async () => {
    await c?.stop();
  });

  const jobsOf = async (cj: CronJob) => (await k.jobs.list(ns)).items.filter(ownedBy(cj));
  const reasons = async (name: string) => (await k.events.list(ns, { fieldSelector: `involvedObject.name=${name}` })).items.map((e) => e.reason ?? '');

  test('Allow: a Job per slot named <cronjob>-<minutes>, status, and only the configured history kept', async () => {
    const cj = await k.cronJobs.create(ns, cronJob('hist', { successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 }, 100));
    await until('5 Jobs created', async () => (await reasons('hist')).filter((r) => r === 'SuccessfulCreate').length >= 5, 60_000);
    await until('at most 2 finished Jobs kept', async () => {
      const done = (await jobsOf(cj)).filter(isFinished);
      return done.length <= 2 && (await reasons('hist')).includes('SuccessfulDelete');
    }, 30_000);
    const jobs = await jobsOf(cj);
    for (const job of jobs) {
      const minutes = Number((job.metadata?.name ?? '').slice('hist-'.length));
      assert.ok(Number.isInteger(minutes) && minutes > 0, job.metadata?.name);
      assert.equal(job.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], new Date(minutes * 60_000).toISOString().replace('.000Z', 'Z'));
      assert.equal(job.metadata?.ownerReferences?.[0]?.controller, true);
    }
    const status = (await k.cronJobs.get(ns, 'hist')).status;
    assert.ok(status?.lastScheduleTime);
    await until('lastSuccessfulTime', async () => (await k.cronJobs.get(ns, 'hist')).status?.lastSuccessfulTime);
    for (const version of ['1.27', '1.33']) {
      const kc = kubectl(version, c.server.kubeconfig);
      try {
        const table = await kc.ok(['get', 'cronjobs']);
        assert.match(table, /^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE/m);
        assert.match(table, /^hist\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+\d+\s+\S+\s+\S+/m);
      } finally {
        kc.cleanup();
      }
    }
    await k.cronJobs.patch(ns, 'hist', 'merge', { spec: { suspend: true } });
  });

  test('Forbid: while a Job runs, no other starts (JobAlreadyActive)', async () => {
    const cj = await k.cronJobs.create(ns, cronJob('forbid', { concurrencyPolicy: 'Forbid' }));
    await until('the first Job', async () => (await jobsOf(cj)).length === 1);
    await until('a slot skipped', async () => (await reasons('forbid')).includes('JobAlreadyActive'), 20_000);
    assert.equal((await jobsOf(cj)).length, 1);
    const status = (await k.cronJobs.get(ns, 'forbid')).status;
    assert.equal(status?.active?.length, 1);
    await k.cronJobs.patch(ns, 'forbid', 'merge', { spec: { suspend: true } });
  });

  test('Replace: the running Job is deleted and the next slot gets a new one', async () => {
    const cj = await k.cronJobs.create(ns, cronJob('replace', { concurrencyPolicy: 'Replace' }));
    const first = await until('the first Job', async () => (await jobsOf(cj))[0]?.metadata?.name);
    await until('a replacement', async () => {
      const names = (await jobsOf(cj)).filter((j) => !j.metadata?.deletionTimestamp).map((j) => j.metadata?.name);
      return names.length === 1 && names[0] !== first;
    }, 20_000);
    // The controller records the replacement in the CronJob's status after creating it: wait for that write too.
    const active = await until('the replacement in status.active', async () => {
      const names = (await k.cronJobs.get(ns, 'replace')).status?.active?.map((r) => r.name) ?? [];
      return names.length === 1 && names[0] !== first ? names : undefined;
    });
    assert.notEqual(active[0], first);
    await until('the SuccessfulDelete event', async () => (await reasons('replace')).includes('SuccessfulDelete'));
    await k.cronJobs.patch(ns, 'replace', 'merge', { spec: { suspend: true } });
  });

  test('suspend: no Jobs are created', async () => {
    const cj = await k.cronJobs.create(ns, cronJob('held', { suspend: true }, 100));
    const before = Date.now();
    // Three slots of schedule time pass.
    await until('3 schedule minutes', () => Date.now() - before > (3 * 60_000) / SPEED);
    assert.equal((await jobsOf(cj)).length, 0);
  });
});

describe('the CronJob controller on the real clock', { skip }, () => {
  let c: BatchCluster;
  before(async () => {
    c = await startBatchCluster();
  });
  after(async () => {
    await c?.stop();
  });

  test('*/1 * * * *: a Job at the next minute boundary, kubectl wait sees it complete', async () => {
    const k = clients(c);
    const cj = await k.cronJobs.create(ns, cronJob('minutely', {}, 100));
    const job = await until('the Job of the next minute', async () => (await k.jobs.list(ns)).items.find(ownedBy(cj)), 75_000);
    const scheduled = Number((job.metadata?.name ?? '').slice('minutely-'.length)) * 60_000;
    assert.ok(Math.abs(Date.parse(job.metadata?.creationTimestamp ?? '') - scheduled) < 5_000, 'created at its scheduled minute');
    const kc = kubectl('1.33', c.server.kubeconfig);
    try {
      await kc.ok(['wait', '--for=condition=complete', `job/${job.metadata?.name}`, '--timeout=60s']);
    } finally {
      kc.cleanup();
    }
    await k.cronJobs.patch(ns, 'minutely', 'merge', { spec: { suspend: true } });
  });
});
