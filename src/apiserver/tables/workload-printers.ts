import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { CronJob, Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../kube-object.js';
import { boolPtrCell, containerCells, formatLabelSelector, int, labelSelectorString } from './cell-format.js';
import { ageColumn, column, containerColumns, nameColumn } from './columns.js';
import { humanDuration, parseTime, timeSince } from './human-duration.js';
import type { PrintedRow, TablePrinter } from './table-types.js';

const SELECTOR_DOCS = {
  replicaSet:
    'Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
  deployment:
    'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
  job: 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
};

const REPLICA_SET_COLUMNS = [
  nameColumn(),
  column(
    'Desired',
    'integer',
    'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
  ),
  column(
    'Current',
    'integer',
    'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
  ),
  column('Ready', 'integer', 'The number of ready replicas for this replica set.'),
  ageColumn(),
  ...containerColumns(),
  column('Selector', 'string', SELECTOR_DOCS.replicaSet, 1),
];

const replicaSetPrinter: TablePrinter = {
  columns: REPLICA_SET_COLUMNS,
  print(obj: KubeObject, now: number): PrintedRow {
    const rs = obj as ReplicaSet;
    return {
      cells: [
        rs.metadata?.name ?? '',
        int(rs.spec?.replicas),
        int(rs.status?.replicas),
        int(rs.status?.readyReplicas),
        timeSince(rs.metadata?.creationTimestamp, now),
        ...containerCells(rs.spec?.template?.spec?.containers),
        formatLabelSelector(rs.spec?.selector),
      ],
    };
  },
};

const DEPLOYMENT_COLUMNS = [
  nameColumn(),
  column('Ready', 'string', 'Number of the pod with ready state'),
  column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
  column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
  ageColumn(),
  ...containerColumns(),
  column('Selector', 'string', SELECTOR_DOCS.deployment, 1),
];

const deploymentPrinter: TablePrinter = {
  columns: DEPLOYMENT_COLUMNS,
  print(obj: KubeObject, now: number): PrintedRow {
    const d = obj as Deployment;
    return {
      cells: [
        d.metadata?.name ?? '',
        `${int(d.status?.readyReplicas)}/${int(d.spec?.replicas)}`,
        int(d.status?.updatedReplicas),
        int(d.status?.availableReplicas),
        timeSince(d.metadata?.creationTimestamp, now),
        ...containerCells(d.spec?.template?.spec?.containers),
        labelSelectorString(d.spec?.selector) ?? '<invalid>',
      ],
    };
  },
};

const JOB_COLUMNS = [
  nameColumn(),
  column('Status', 'string', 'Status of the job.'),
  column(
    'Completions',
    'string',
    'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.',
  ),
  column('Duration', 'string', 'Time required to complete the job.'),
  ageColumn(),
  ...containerColumns(),
  column('Selector', 'string', SELECTOR_DOCS.job, 1),
];

/** hasJobCondition: the first condition of the type decides. */
function hasCondition(conditions: readonly JobCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).find((c) => c.type === type)?.status === 'True';
}

function jobStatus(job: Job): string {
  const conditions = job.status?.conditions;
  if (hasCondition(conditions, 'Complete')) return 'Complete';
  if (hasCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp !== undefined && job.metadata.deletionTimestamp !== null) return 'Terminating';
  if (hasCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function jobCompletions(job: Job): string {
  const succeeded = int(job.status?.succeeded);
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  const parallelism = int(job.spec?.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: Job, now: number): string {
  const status = job.status;
  if (status?.startTime === undefined || status.startTime === null) return '';
  const start = parseTime(status.startTime) ?? 0;
  const end = status.completionTime === undefined || status.completionTime === null ? now : (parseTime(status.completionTime) ?? 0);
  return humanDuration(end - start);
}

const jobPrinter: TablePrinter = {
  columns: JOB_COLUMNS,
  print(obj: KubeObject, now: number): PrintedRow {
    const job = obj as Job;
    return {
      cells: [
        job.metadata?.name ?? '',
        jobStatus(job),
        jobCompletions(job),
        jobDuration(job, now),
        timeSince(job.metadata?.creationTimestamp, now),
        ...containerCells(job.spec?.template?.spec?.containers),
        formatLabelSelector(job.spec?.selector),
      ],
    };
  },
};

const CRON_JOB_COLUMNS = [
  nameColumn(),
  column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
  column(
    'Timezone',
    'string',
    'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones',
  ),
  column(
    'Suspend',
    'boolean',
    'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.',
  ),
  column('Active', 'integer', 'A list of pointers to currently running jobs.'),
  column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
  ageColumn(),
  ...containerColumns(),
  column('Selector', 'string', SELECTOR_DOCS.job, 1),
];

const cronJobPrinter: TablePrinter = {
  columns: CRON_JOB_COLUMNS,
  print(obj: KubeObject, now: number): PrintedRow {
    const cj = obj as CronJob;
    const last = cj.status?.lastScheduleTime;
    const jobSpec = cj.spec?.jobTemplate?.spec;
    return {
      cells: [
        cj.metadata?.name ?? '',
        cj.spec?.schedule ?? '',
        cj.spec?.timeZone ?? '<none>',
        boolPtrCell(cj.spec?.suspend),
        (cj.status?.active ?? []).length,
        last === undefined || last === null ? '<none>' : timeSince(last, now),
        timeSince(cj.metadata?.creationTimestamp, now),
        ...containerCells(jobSpec?.template?.spec?.containers),
        formatLabelSelector(jobSpec?.selector),
      ],
    };
  },
};

/** Printers for the apps and batch workload kinds, keyed `group/Kind`. */
export const workloadPrinters: Readonly<Record<string, TablePrinter>> = {
  'apps/ReplicaSet': replicaSetPrinter,
  'apps/Deployment': deploymentPrinter,
  'batch/Job': jobPrinter,
  'batch/CronJob': cronJobPrinter,
};
