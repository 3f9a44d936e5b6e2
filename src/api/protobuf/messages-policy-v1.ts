import { msg, listOf, mapOf, type MessageTable } from './schema.js';

export const policyV1Messages: MessageTable = {
  PodDisruptionBudget: {
    1: ['metadata', msg('ObjectMeta')],
    2: ['spec', msg('PodDisruptionBudgetSpec')],
    3: ['status', msg('PodDisruptionBudgetStatus')],
  },
  PodDisruptionBudgetSpec: {
    1: ['minAvailable', msg('IntOrString')],
    2: ['selector', msg('LabelSelector')],
    3: ['maxUnavailable', msg('IntOrString')],
    4: ['unhealthyPodEvictionPolicy', 'string', 'keep'],
  },
  PodDisruptionBudgetStatus: {
    1: ['observedGeneration', 'int64'],
    2: ['disruptedPods', mapOf(msg('Time'))],
    3: ['disruptionsAllowed', 'int32', 'keep'],
    4: ['currentHealthy', 'int32', 'keep'],
    5: ['desiredHealthy', 'int32', 'keep'],
    6: ['expectedPods', 'int32', 'keep'],
    7: ['conditions', listOf(msg('Condition'))],
  },
};
