import { msg, listOf, type MessageTable } from './schema.js';

export const batchV1Messages: MessageTable = {
  Job: {
    1: ['metadata', msg('ObjectMeta')],
    2: ['spec', msg('JobSpec')],
    3: ['status', msg('JobStatus')],
  },
  CronJob: {
    1: ['metadata', msg('ObjectMeta')],
    2: ['spec', msg('CronJobSpec')],
    3: ['status', msg('CronJobStatus')],
  },
  JobSpec: {
    1: ['parallelism', 'int32', 'keep'],
    2: ['completions', 'int32', 'keep'],
    3: ['activeDeadlineSeconds', 'int64', 'keep'],
    4: ['selector', msg('LabelSelector')],
    5: ['manualSelector', 'bool', 'keep'],
    6: ['template', msg('PodTemplateSpec')],
    7: ['backoffLimit', 'int32', 'keep'],
    8: ['ttlSecondsAfterFinished', 'int32', 'keep'],
    9: ['completionMode', 'string', 'keep'],
    10: ['suspend', 'bool', 'keep'],
    11: ['podFailurePolicy', msg('PodFailurePolicy')],
    12: ['backoffLimitPerIndex', 'int32', 'keep'],
    13: ['maxFailedIndexes', 'int32', 'keep'],
    14: ['podReplacementPolicy', 'string', 'keep'],
    15: ['managedBy', 'string', 'keep'],
    16: ['successPolicy', msg('SuccessPolicy')],
    17: ['scheduling', msg('JobSchedulingConfiguration')],
  },
  JobStatus: {
    1: ['conditions', listOf(msg('JobCondition'))],
    2: ['startTime', msg('Time')],
    3: ['completionTime', msg('Time')],
    4: ['active', 'int32'],
    5: ['succeeded', 'int32'],
    6: ['failed', 'int32'],
    7: ['completedIndexes', 'string'],
    8: ['uncountedTerminatedPods', msg('UncountedTerminatedPods')],
    9: ['ready', 'int32', 'keep'],
    10: ['failedIndexes', 'string', 'keep'],
    11: ['terminating', 'int32', 'keep'],
  },
  CronJobSpec: {
    1: ['schedule', 'string', 'keep'],
    2: ['startingDeadlineSeconds', 'int64', 'keep'],
    3: ['concurrencyPolicy', 'string'],
    4: ['suspend', 'bool', 'keep'],
    5: ['jobTemplate', msg('JobTemplateSpec')],
    6: ['successfulJobsHistoryLimit', 'int32', 'keep'],
    7: ['failedJobsHistoryLimit', 'int32', 'keep'],
    8: ['timeZone', 'string', 'keep'],
  },
  CronJobStatus: {
    1: ['active', listOf(msg('ObjectReference'))],
    4: ['lastScheduleTime', msg('Time')],
    5: ['lastSuccessfulTime', msg('Time')],
  },
  PodFailurePolicy: {
    1: ['rules', listOf(msg('PodFailurePolicyRule'))],
  },
  SuccessPolicy: {
    1: ['rules', listOf(msg('SuccessPolicyRule'))],
  },
  JobSchedulingConfiguration: {
  },
  JobCondition: {
    1: ['type', 'string', 'keep'],
    2: ['status', 'string', 'keep'],
    3: ['lastProbeTime', msg('Time')],
    4: ['lastTransitionTime', msg('Time')],
    5: ['reason', 'string'],
    6: ['message', 'string'],
  },
  UncountedTerminatedPods: {
    1: ['succeeded', listOf('string')],
    2: ['failed', listOf('string')],
  },
  JobTemplateSpec: {
    1: ['metadata', msg('ObjectMeta')],
    2: ['spec', msg('JobSpec')],
  },
  PodFailurePolicyRule: {
    1: ['action', 'string', 'keep'],
    2: ['onExitCodes', msg('PodFailurePolicyOnExitCodesRequirement')],
    3: ['onPodConditions', listOf(msg('PodFailurePolicyOnPodConditionsPattern'))],
  },
  SuccessPolicyRule: {
    1: ['succeededIndexes', 'string', 'keep'],
    2: ['succeededCount', 'int32', 'keep'],
  },
  PodFailurePolicyOnExitCodesRequirement: {
    1: ['containerName', 'string', 'keep'],
    2: ['operator', 'string', 'keep'],
    3: ['values', listOf('int32')],
  },
  PodFailurePolicyOnPodConditionsPattern: {
    1: ['type', 'string', 'keep'],
    2: ['status', 'string', 'keep'],
  },
};
