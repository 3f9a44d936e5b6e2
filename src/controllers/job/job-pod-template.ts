/** The Pods a Job creates (manageJob's template handling): tracking finalizer, and for Indexed Jobs the index. */
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Container, Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { podFromTemplate } from '../replicaset/pod-template.js';
import { indexedPodGenerateName, isIndexedJob, JobCompletionIndexAnnotation, JobCompletionIndexEnv, JobCompletionIndexLabel } from './completion-index.js';
import { JobTrackingFinalizer } from './job-pods.js';

function addIndexEnv(container: Container): void {
  if ((container.env ?? []).some((e) => e.name === JobCompletionIndexEnv)) return;
  container.env = [...(container.env ?? []), { name: JobCompletionIndexEnv, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${JobCompletionIndexAnnotation}']` } } }];
}

/**
 * The Pod to create for `job` (with completion `index` for an Indexed Job): the template with the
 * batch.kubernetes.io/job-tracking finalizer; Indexed: JOB_COMPLETION_INDEX in every container's env, the index
 * annotation and label, hostname `<job>-<index>` and generateName `<job>-<index>-`. Throws as podFromTemplate does.
 */
export function podForJob(job: Job, controllerRef: OwnerReference, index?: number): Pod {
  const template: PodTemplateSpec = structuredClone(job.spec?.template ?? {});
  const metadata = (template.metadata ??= {});
  if (!(metadata.finalizers ?? []).includes(JobTrackingFinalizer)) metadata.finalizers = [...(metadata.finalizers ?? []), JobTrackingFinalizer];
  let generateName: string | undefined;
  if (isIndexedJob(job) && template.spec) {
    for (const c of [...(template.spec.initContainers ?? []), ...template.spec.containers]) addIndexEnv(c);
  }
  if (index !== undefined && index >= 0) {
    const name = job.metadata?.name ?? '';
    metadata.annotations = { ...(metadata.annotations ?? {}), [JobCompletionIndexAnnotation]: String(index) };
    metadata.labels = { ...(metadata.labels ?? {}), [JobCompletionIndexLabel]: String(index) };
    if (template.spec) template.spec.hostname = `${name}-${index}`;
    generateName = indexedPodGenerateName(name, index);
  }
  return podFromTemplate({ metadata: job.metadata, spec: { template } }, controllerRef, generateName);
}
