/** The Job a CronJob creates for a scheduled time (upstream's getJobFromTemplate2 and getJobName). */
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import { ownerReference } from '../runtime/controller-ref.js';
import { formatRFC3339 } from './zoned-time.js';

export const CronJobScheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
export const CRONJOB_GVK = { apiVersion: 'batch/v1', kind: 'CronJob' };

/** `<cronjob>-<scheduled time in minutes since the epoch>`: the same name for the same slot, so a slot runs once. */
export function jobNameFor(cronJob: CronJob, scheduledMs: number): string {
  return `${cronJob.metadata?.name ?? ''}-${Math.floor(scheduledMs / 60_000)}`;
}

/**
 * The Job for `scheduledMs`: the template's labels, annotations (plus the scheduled time in RFC 3339, in the CronJob's
 * timeZone or UTC) and spec, the deterministic name, and the CronJob as controller.
 */
export function jobFromTemplate(cronJob: CronJob, scheduledMs: number): Job {
  const template = cronJob.spec?.jobTemplate;
  const annotations = { ...(template?.metadata?.annotations ?? {}) };
  annotations[CronJobScheduledTimestampAnnotation] = formatRFC3339(scheduledMs, cronJob.spec?.timeZone ?? 'UTC');
  const labels = { ...(template?.metadata?.labels ?? {}) };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobNameFor(cronJob, scheduledMs),
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      annotations,
      ownerReferences: [ownerReference(cronJob, CRONJOB_GVK)],
    },
    ...(template?.spec ? { spec: structuredClone(template.spec) } : {}),
  };
}
