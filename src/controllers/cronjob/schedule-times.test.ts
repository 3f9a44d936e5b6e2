import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import { parseSchedule } from './cron-schedule.js';
import { jobFromTemplate, jobNameFor } from './job-from-template.js';
import { compareByStartTime } from './job-history.js';
import { mostRecentScheduleTime, nextScheduleTime, nextScheduleTimeDuration } from './schedule-times.js';

const at = (iso: string) => Date.parse(iso);
const everyMinute = parseSchedule('*/1 * * * *', 'UTC');
const cronJob = (created: string, extra: { lastScheduleTime?: string; startingDeadlineSeconds?: number } = {}): CronJob => ({
  metadata: { name: 'cj', namespace: 'default', uid: 'u1', creationTimestamp: created },
  spec: { schedule: '*/1 * * * *', startingDeadlineSeconds: extra.startingDeadlineSeconds, jobTemplate: { spec: { template: {} } } },
  status: extra.lastScheduleTime ? { lastScheduleTime: extra.lastScheduleTime } : {},
});

describe('CronJob schedule times (upstream cronjob/utils.go)', () => {
  it('nothing due before the first activation after creation', () => {
    const r = nextScheduleTime(cronJob('2024-05-01T10:00:30Z'), at('2024-05-01T10:00:50Z'), everyMinute);
    assert.deepEqual(r, { missed: 'none' });
  });

  it('the one activation since the last schedule time is due', () => {
    const r = nextScheduleTime(cronJob('2024-05-01T09:00:00Z', { lastScheduleTime: '2024-05-01T10:00:00Z' }), at('2024-05-01T10:01:02Z'), everyMinute);
    assert.deepEqual(r, { scheduled: at('2024-05-01T10:01:00Z'), missed: 'none' });
  });

  it('after missed activations only the most recent is started', () => {
    const r = nextScheduleTime(cronJob('2024-05-01T10:00:30Z'), at('2024-05-01T10:05:10Z'), everyMinute);
    assert.deepEqual(r, { scheduled: at('2024-05-01T10:05:00Z'), missed: 'few' });
  });

  it('more than 100 missed activations are "many" (TooManyMissedTimes)', () => {
    const r = nextScheduleTime(cronJob('2024-05-01T07:00:00Z'), at('2024-05-01T10:05:10Z'), everyMinute);
    assert.deepEqual(r, { scheduled: at('2024-05-01T10:05:00Z'), missed: 'many' });
  });

  it('startingDeadlineSeconds: nothing older than the deadline is considered', () => {
    const cj = cronJob('2024-05-01T07:00:00Z', { startingDeadlineSeconds: 10 });
    assert.deepEqual(nextScheduleTime(cj, at('2024-05-01T10:05:30Z'), everyMinute), { missed: 'none' });
    assert.deepEqual(nextScheduleTime(cj, at('2024-05-01T10:05:05Z'), everyMinute), { scheduled: at('2024-05-01T10:05:00Z'), missed: 'none' });
  });

  it('a schedule that never fires twice is an error', () => {
    assert.throws(() => mostRecentScheduleTime(cronJob('2020-01-01T00:00:00Z'), at('2030-01-01T00:00:00Z'), { timeZone: 'UTC', next: (t) => (t < at('2021-01-01T00:00:00Z') ? at('2021-01-01T00:00:00Z') : at('2021-01-01T00:00:00.400Z')) }, true), /less than 1 second/);
  });

  it('nextScheduleTimeDuration: until the activation after the most recent one, plus 100 ms', () => {
    const cj = cronJob('2024-05-01T09:00:00Z', { lastScheduleTime: '2024-05-01T10:01:00Z' });
    assert.equal(nextScheduleTimeDuration(cj, at('2024-05-01T10:01:20Z'), everyMinute), 40_100);
  });
});

describe('the Job a CronJob creates', () => {
  it('is named after the scheduled minute and carries the scheduled time in the CronJob zone', () => {
    const cj = cronJob('2024-05-01T09:00:00Z');
    assert.equal(jobNameFor(cj, at('2024-05-01T10:05:00Z')), `cj-${at('2024-05-01T10:05:00Z') / 60_000}`);
    const job = jobFromTemplate({ ...cj, spec: { ...cj.spec!, timeZone: 'Europe/Paris', jobTemplate: { metadata: { labels: { a: 'b' } }, spec: { template: {} } } } }, at('2024-05-01T10:05:00Z'));
    assert.equal(job.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2024-05-01T12:05:00+02:00');
    assert.deepEqual(job.metadata?.labels, { a: 'b' });
    assert.deepEqual(job.metadata?.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'cj', uid: 'u1', controller: true, blockOwnerDeletion: true }]);
    assert.equal(jobFromTemplate(cj, at('2024-05-01T10:05:00Z')).metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2024-05-01T10:05:00Z');
  });

  it('history: the oldest start time goes first, Jobs without one last', () => {
    const job = (name: string, startTime?: string) => ({ metadata: { name }, status: startTime ? { startTime } : {} });
    const sorted = [job('c'), job('b', '2024-05-01T10:00:00Z'), job('a', '2024-05-01T10:00:00Z'), job('d', '2024-05-01T09:00:00Z')].sort(compareByStartTime);
    assert.deepEqual(sorted.map((j) => j.metadata.name), ['d', 'a', 'b', 'c']);
  });
});
