/**
 * Defaults of the workload kinds: apps/v1 ReplicaSet and Deployment, batch/v1 Job and CronJob
 * (SetDefaults_* of pkg/apis/apps/v1 and pkg/apis/batch/v1 plus their pod templates).
 */
import {
  CRON_JOB_SPEC_ORDER,
  DEPLOYMENT_SPEC_ORDER,
  DEPLOYMENT_STRATEGY_ORDER,
  JOB_SPEC_ORDER,
  OBJECT_META_ORDER,
  REPLICA_SET_SPEC_ORDER,
  ROLLING_UPDATE_ORDER,
  defaultEmbeddedMetadata,
  isObject,
  objectAt,
  objectsAt,
  orderKeys,
  setDefault,
  sortMapKeys,
  type JsonObject,
} from './field-order.js';
import { defaultPodTemplateSpec } from './pod-defaults.js';

const MAX_INT32 = 2147483647;
const POD_FAILURE_PATTERN_ORDER = ['type', 'status'] as const;

function isUnset(value: unknown): boolean {
  return value === undefined || value === null;
}

export function defaultReplicaSet(rs: JsonObject): void {
  const spec = objectAt(rs, 'spec');
  setDefault(spec, 'replicas', 1);
  defaultPodTemplateSpec(objectAt(spec, 'template'));
  orderKeys(spec, REPLICA_SET_SPEC_ORDER);
}

export function defaultDeployment(deployment: JsonObject): void {
  const spec = objectAt(deployment, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = objectAt(spec, 'strategy');
  if (strategy['type'] === undefined || strategy['type'] === null || strategy['type'] === '') {
    strategy['type'] = 'RollingUpdate';
  }
  if (strategy['type'] === 'RollingUpdate') {
    const rollingUpdate = objectAt(strategy, 'rollingUpdate');
    setDefault(rollingUpdate, 'maxUnavailable', '25%');
    setDefault(rollingUpdate, 'maxSurge', '25%');
    orderKeys(rollingUpdate, ROLLING_UPDATE_ORDER);
  }
  orderKeys(strategy, DEPLOYMENT_STRATEGY_ORDER);
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplateSpec(objectAt(spec, 'template'));
  orderKeys(spec, DEPLOYMENT_SPEC_ORDER);
}

/** Type-level defaulters that apply to a JobSpec wherever it appears, CronJob templates included. */
function defaultJobSpecTypes(spec: JsonObject): void {
  const policy = spec['podFailurePolicy'];
  if (isObject(policy)) {
    for (const rule of objectsAt(policy, 'rules')) {
      for (const pattern of objectsAt(rule, 'onPodConditions')) {
        if (isUnset(pattern['status']) || pattern['status'] === '') pattern['status'] = 'True';
        orderKeys(pattern, POD_FAILURE_PATTERN_ORDER);
      }
    }
  }
  defaultPodTemplateSpec(objectAt(spec, 'template'));
}

export function defaultJob(job: JsonObject): void {
  const spec = objectAt(job, 'spec');
  if (isUnset(spec['completions']) && isUnset(spec['parallelism'])) {
    spec['completions'] = 1;
    spec['parallelism'] = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', isUnset(spec['backoffLimitPerIndex']) ? 6 : MAX_INT32);
  const template = spec['template'];
  const templateLabels = isObject(template) && isObject(template['metadata']) ? template['metadata']['labels'] : undefined;
  const metadata = objectAt(job, 'metadata');
  const labels = metadata['labels'];
  if (isObject(templateLabels) && !(isObject(labels) && Object.keys(labels).length > 0)) {
    metadata['labels'] = { ...templateLabels };
    orderKeys(metadata, OBJECT_META_ORDER);
  }
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'podReplacementPolicy', isUnset(spec['podFailurePolicy']) ? 'TerminatingOrFailed' : 'Failed');
  setDefault(spec, 'manualSelector', false);
  defaultJobSpecTypes(spec);
  orderKeys(spec, JOB_SPEC_ORDER);
}

export function defaultCronJob(cronJob: JsonObject): void {
  const spec = objectAt(cronJob, 'spec');
  if (isUnset(spec['concurrencyPolicy']) || spec['concurrencyPolicy'] === '') spec['concurrencyPolicy'] = 'Allow';
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  const jobTemplate = objectAt(spec, 'jobTemplate');
  defaultEmbeddedMetadata(jobTemplate);
  const jobSpec = objectAt(jobTemplate, 'spec');
  defaultJobSpecTypes(jobSpec);
  orderKeys(jobSpec, JOB_SPEC_ORDER);
  orderKeys(spec, CRON_JOB_SPEC_ORDER);
}

const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name'];
const CONTROLLER_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'];

/**
 * The Job strategy's generateSelector, run on create (once metadata.uid is set) unless
 * spec.manualSelector is true: labels the template with the job name and uid and selects on
 * `batch.kubernetes.io/controller-uid`. Upstream runs it inside Validate; it lives here so
 * validation stays free of side effects.
 */
export function generateJobSelector(job: JsonObject): void {
  const spec = objectAt(job, 'spec');
  if (spec['manualSelector'] === true) return;
  const metadata = objectAt(job, 'metadata');
  const name = typeof metadata['name'] === 'string' ? metadata['name'] : '';
  const uid = typeof metadata['uid'] === 'string' ? metadata['uid'] : '';
  const templateMeta = objectAt(objectAt(spec, 'template'), 'metadata');
  const labels = objectAt(templateMeta, 'labels');
  for (const key of JOB_NAME_LABELS) if (!(key in labels)) labels[key] = name;
  for (const key of CONTROLLER_UID_LABELS) if (!(key in labels)) labels[key] = uid;
  sortMapKeys(labels);
  const matchLabels = objectAt(objectAt(spec, 'selector'), 'matchLabels');
  const selectorKey = 'batch.kubernetes.io/controller-uid';
  if (!(selectorKey in matchLabels)) matchLabels[selectorKey] = uid;
  orderKeys(templateMeta, OBJECT_META_ORDER);
  orderKeys(spec, JOB_SPEC_ORDER);
}
