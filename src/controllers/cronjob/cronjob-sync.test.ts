import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob, CronJobSpec, Job } from 'kubernetes-types/batch/v1.js';
import { ApiError } from '../../api/index.js';
import type { EventRecorder, ResourceClient } from '../../client/index.js';
import { ManualClock } from '../../lib/index.js';
import { CronJobSync } from './cronjob-sync.js';

const JOBS = { group: 'batch', resource: 'jobs' };
const at = (iso: string) => Date.parse(iso);
const minuteName = (iso: string) => `cj-${at(iso) / 60_000}`;

/** In-memory Jobs and the one CronJob; every event's reason is kept. */
function fakes(now: string, cronJob: CronJob) {
  const jobs = new Map<string, Job>();
  const events: string[] = [];
  let uid = 0;
  const jobClient = {
    create: async (_ns: string, job: Job) => {
      const name = job.metadata?.name ?? '';
      if (jobs.has(name)) throw ApiError.alreadyExists(JOBS, name);
      const stored: Job = { ...structuredClone(job), metadata: { ...job.metadata, namespace: 'default', uid: `job-${++uid}`, resourceVersion: '1' } };
      jobs.set(name, stored);
      return stored;
    },
    get: async (_ns: string, name: string) => {
      const job = jobs.get(name);
      if (!job) throw ApiError.notFound(JOBS, name);
      return job;
    },
    delete: async (_ns: string, name: string) => {
      jobs.delete(name);
      return {};
    },
  } as unknown as ResourceClient<Job>;
  const cronJobClient = { get: async () => structuredClone(cronJob) } as unknown as ResourceClient<CronJob>;
  const recorder = { event: (_o: unknown, _t: string, reason: string) => events.push(reason) } as unknown as EventRecorder;
  const sync = new CronJobSync({ cronJobs: cronJobClient, jobs: jobClient, recorder, clock: new ManualClock(at(now)) });
  return { sync, jobs, events };
}

function cronJob(spec: Partial<CronJobSpec> = {}, status: CronJob['status'] = {}, created = '2024-05-01T09:00:00Z'): CronJob {
  return {
    metadata: { name: 'cj', namespace: 'default', uid: 'cj-uid', creationTimestamp: created },
    spec: { schedule: '*/1 * * * *', timeZone: 'UTC', concurrencyPolicy: 'Allow', jobTemplate: { spec: { template: {} } }, ...spec },
    status,
  };
}

function ownedJob(name: string, extra: { finished?: 'Complete' | 'Failed'; startTime?: string; completionTime?: string } = {}): Job {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'cj', uid: 'cj-uid', controller: true }] },
    spec: { template: {} },
    status: {
      ...(extra.startTime ? { startTime: extra.startTime } : {}),
      ...(extra.completionTime ? { completionTime: extra.completionTime } : {}),
      ...(extra.finished ? { conditions: [{ type: extra.finished, status: 'True' }] } : {}),
    },
  };
}

const ref = (job: Job) => ({ kind: 'Job', namespace: 'default', name: job.metadata?.name, uid: job.metadata?.uid, apiVersion: 'batch/v1' });

describe('CronJobSync (syncCronJob and cleanupFinishedJobs)', () => {
  it('starts the due slot: Job <cronjob>-<minutes>, status.active and lastScheduleTime, requeue for the next slot', async () => {
    const cj = cronJob({}, { lastScheduleTime: '2024-05-01T10:00:00Z' });
    const f = fakes('2024-05-01T10:01:05Z', cj);
    const outcome = await f.sync.sync(cj, []);
    const name = minuteName('2024-05-01T10:01:00Z');
    assert.ok(f.jobs.has(name));
    assert.deepEqual(outcome, { updateStatus: true, requeueAfterMs: 55_100 });
    assert.deepEqual(cj.status?.active?.map((r) => r.name), [name]);
    assert.equal(cj.status?.lastScheduleTime, '2024-05-01T10:01:00Z');
    assert.deepEqual(f.events, ['SuccessfulCreate']);
  });

  it('does not start a slot twice', async () => {
    const cj = cronJob({}, { lastScheduleTime: '2024-05-01T10:01:00Z' });
    const f = fakes('2024-05-01T10:01:30Z', cj);
    const outcome = await f.sync.sync(cj, []);
    assert.equal(f.jobs.size, 0);
    assert.deepEqual(outcome, { updateStatus: false, requeueAfterMs: 30_100 });
  });

  it('Forbid: a running Job holds the next slot back (JobAlreadyActive)', async () => {
    const running = ownedJob('cj-1');
    const cj = cronJob({ concurrencyPolicy: 'Forbid' }, { lastScheduleTime: '2024-05-01T10:00:00Z', active: [ref(running)] });
    const f = fakes('2024-05-01T10:01:05Z', cj);
    f.jobs.set('cj-1', running);
    await f.sync.sync(cj, [running]);
    assert.deepEqual([...f.jobs.keys()], ['cj-1']);
    assert.deepEqual(f.events, ['JobAlreadyActive']);
  });

  it('Replace: the running Job is deleted, the new one takes its place', async () => {
    const running = ownedJob('cj-1');
    const cj = cronJob({ concurrencyPolicy: 'Replace' }, { lastScheduleTime: '2024-05-01T10:00:00Z', active: [ref(running)] });
    const f = fakes('2024-05-01T10:01:05Z', cj);
    f.jobs.set('cj-1', running);
    await f.sync.sync(cj, [running]);
    assert.deepEqual([...f.jobs.keys()], [minuteName('2024-05-01T10:01:00Z')]);
    assert.deepEqual(cj.status?.active?.map((r) => r.name), [minuteName('2024-05-01T10:01:00Z')]);
    assert.deepEqual(f.events, ['SuccessfulDelete', 'SuccessfulCreate']);
  });

  it('a finished active Job leaves status.active (SawCompletedJob); a later success sets lastSuccessfulTime', async () => {
    const done = ownedJob('cj-1', { finished: 'Complete', completionTime: '2024-05-01T10:00:20Z' });
    const cj = cronJob({ suspend: true }, { lastScheduleTime: '2024-05-01T10:00:00Z', active: [ref(done)] });
    const f = fakes('2024-05-01T10:00:30Z', cj);
    const outcome = await f.sync.sync(cj, [done]);
    assert.deepEqual(cj.status?.active, []);
    assert.equal(outcome.updateStatus, true);
    assert.deepEqual(f.events, ['SawCompletedJob']);
    await f.sync.sync(cj, [done]);
    assert.equal(cj.status?.lastSuccessfulTime, '2024-05-01T10:00:20Z');
  });

  it('an active Job that no longer exists is dropped (MissingJob)', async () => {
    const gone = ownedJob('cj-1');
    const cj = cronJob({ suspend: true }, { active: [ref(gone)] });
    const f = fakes('2024-05-01T10:00:30Z', cj);
    await f.sync.sync(cj, []);
    assert.deepEqual(cj.status?.active, []);
    assert.deepEqual(f.events, ['MissingJob']);
  });

  it('history limits: the oldest finished Jobs beyond the limit are deleted', async () => {
    const jobs = ['10:00', '10:01', '10:02'].map((t, i) => ownedJob(`cj-${i}`, { finished: 'Complete', startTime: `2024-05-01T${t}:00Z` }));
    const failed = ['10:00', '10:01'].map((t, i) => ownedJob(`cj-f${i}`, { finished: 'Failed', startTime: `2024-05-01T${t}:00Z` }));
    const cj = cronJob({ suspend: true, successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 });
    const f = fakes('2024-05-01T10:03:30Z', cj);
    for (const j of [...jobs, ...failed]) f.jobs.set(j.metadata!.name!, j);
    await f.sync.sync(cj, [...jobs, ...failed]);
    assert.deepEqual([...f.jobs.keys()].sort(), ['cj-2', 'cj-f1']);
  });

  it('more than 100 missed slots: TooManyMissedTimes, and only the latest is started', async () => {
    const cj = cronJob({}, {}, '2024-05-01T07:00:00Z');
    const f = fakes('2024-05-01T10:05:10Z', cj);
    await f.sync.sync(cj, []);
    assert.deepEqual(f.events, ['TooManyMissedTimes', 'SuccessfulCreate']);
    assert.deepEqual([...f.jobs.keys()], [minuteName('2024-05-01T10:05:00Z')]);
  });

  it('an unknown time zone starts nothing (UnknownTimeZone)', async () => {
    const cj = cronJob({ timeZone: 'Mars/Olympus' });
    const f = fakes('2024-05-01T10:05:10Z', cj);
    const outcome = await f.sync.sync(cj, []);
    assert.deepEqual(f.events, ['UnknownTimeZone']);
    assert.equal(outcome.requeueAfterMs, undefined);
  });
});
