import { msg, listOf, mapOf, type MessageTable } from './schema.js';

export const authorizationV1Messages: MessageTable = {
  SelfSubjectAccessReview: {
    1: ['metadata', msg('ObjectMeta')],
    2: ['spec', msg('SelfSubjectAccessReviewSpec')],
    3: ['status', msg('SubjectAccessReviewStatus')],
  },
  SubjectAccessReview: {
    1: ['metadata', msg('ObjectMeta')],
    2: ['spec', msg('SubjectAccessReviewSpec')],
    3: ['status', msg('SubjectAccessReviewStatus')],
  },
  LocalSubjectAccessReview: {
    1: ['metadata', msg('ObjectMeta')],
    2: ['spec', msg('SubjectAccessReviewSpec')],
    3: ['status', msg('SubjectAccessReviewStatus')],
  },
  SelfSubjectRulesReview: {
    1: ['metadata', msg('ObjectMeta')],
    2: ['spec', msg('SelfSubjectRulesReviewSpec')],
    3: ['status', msg('SubjectRulesReviewStatus')],
  },
  SelfSubjectAccessReviewSpec: {
    1: ['resourceAttributes', msg('ResourceAttributes')],
    2: ['nonResourceAttributes', msg('NonResourceAttributes')],
  },
  SubjectAccessReviewStatus: {
    1: ['allowed', 'bool', 'keep'],
    2: ['reason', 'string'],
    3: ['evaluationError', 'string'],
    4: ['denied', 'bool'],
  },
  SubjectAccessReviewSpec: {
    1: ['resourceAttributes', msg('ResourceAttributes')],
    2: ['nonResourceAttributes', msg('NonResourceAttributes')],
    3: ['user', 'string'],
    4: ['groups', listOf('string')],
    5: ['extra', mapOf(msg('ExtraValue'))],
    6: ['uid', 'string'],
  },
  SelfSubjectRulesReviewSpec: {
    1: ['namespace', 'string'],
  },
  SubjectRulesReviewStatus: {
    1: ['resourceRules', listOf(msg('ResourceRule'))],
    2: ['nonResourceRules', listOf(msg('NonResourceRule'))],
    3: ['incomplete', 'bool', 'keep'],
    4: ['evaluationError', 'string'],
  },
  ResourceAttributes: {
    1: ['namespace', 'string'],
    2: ['verb', 'string'],
    3: ['group', 'string'],
    4: ['version', 'string'],
    5: ['resource', 'string'],
    6: ['subresource', 'string'],
    7: ['name', 'string'],
    8: ['fieldSelector', msg('FieldSelectorAttributes')],
    9: ['labelSelector', msg('LabelSelectorAttributes')],
  },
  NonResourceAttributes: {
    1: ['path', 'string'],
    2: ['verb', 'string'],
  },
  ResourceRule: {
    1: ['verbs', listOf('string')],
    2: ['apiGroups', listOf('string')],
    3: ['resources', listOf('string')],
    4: ['resourceNames', listOf('string')],
  },
  NonResourceRule: {
    1: ['verbs', listOf('string')],
    2: ['nonResourceURLs', listOf('string')],
  },
  FieldSelectorAttributes: {
    1: ['rawSelector', 'string'],
    2: ['requirements', listOf(msg('FieldSelectorRequirement'))],
  },
  LabelSelectorAttributes: {
    1: ['rawSelector', 'string'],
    2: ['requirements', listOf(msg('LabelSelectorRequirement'))],
  },
};
