import { msg, listOf, type MessageTable } from './schema.js';

export const rbacV1Messages: MessageTable = {
  Role: {
    1: ['metadata', msg('ObjectMeta')],
    2: ['rules', listOf(msg('PolicyRule'))],
  },
  ClusterRole: {
    1: ['metadata', msg('ObjectMeta')],
    2: ['rules', listOf(msg('PolicyRule'))],
    3: ['aggregationRule', msg('AggregationRule')],
  },
  RoleBinding: {
    1: ['metadata', msg('ObjectMeta')],
    2: ['subjects', listOf(msg('Subject'))],
    3: ['roleRef', msg('RoleRef')],
  },
  ClusterRoleBinding: {
    1: ['metadata', msg('ObjectMeta')],
    2: ['subjects', listOf(msg('Subject'))],
    3: ['roleRef', msg('RoleRef')],
  },
  PolicyRule: {
    1: ['verbs', listOf('string')],
    2: ['apiGroups', listOf('string')],
    3: ['resources', listOf('string')],
    4: ['resourceNames', listOf('string')],
    5: ['nonResourceURLs', listOf('string')],
  },
  AggregationRule: {
    1: ['clusterRoleSelectors', listOf(msg('LabelSelector'))],
  },
  Subject: {
    1: ['kind', 'string', 'keep'],
    2: ['apiGroup', 'string'],
    3: ['name', 'string', 'keep'],
    4: ['namespace', 'string'],
  },
  RoleRef: {
    1: ['apiGroup', 'string', 'keep'],
    2: ['kind', 'string', 'keep'],
    3: ['name', 'string', 'keep'],
  },
};
