import { msg, listOf, mapOf, type MessageTable } from './schema.js';

export const authenticationV1Messages: MessageTable = {
  SelfSubjectReview: {
    1: ['metadata', msg('ObjectMeta')],
    2: ['status', msg('SelfSubjectReviewStatus')],
  },
  TokenRequest: {
    1: ['metadata', msg('ObjectMeta')],
    2: ['spec', msg('TokenRequestSpec')],
    3: ['status', msg('TokenRequestStatus')],
  },
  TokenReview: {
    1: ['metadata', msg('ObjectMeta')],
    2: ['spec', msg('TokenReviewSpec')],
    3: ['status', msg('TokenReviewStatus')],
  },
  SelfSubjectReviewStatus: {
    1: ['userInfo', msg('UserInfo')],
  },
  TokenRequestSpec: {
    1: ['audiences', listOf('string')],
    3: ['boundObjectRef', msg('BoundObjectReference')],
    4: ['expirationSeconds', 'int64', 'keep'],
    5: ['attestations', mapOf(msg('AttestationValue'))],
  },
  TokenRequestStatus: {
    1: ['token', 'string', 'keep'],
    2: ['expirationTimestamp', msg('Time')],
  },
  TokenReviewSpec: {
    1: ['token', 'string'],
    2: ['audiences', listOf('string')],
  },
  TokenReviewStatus: {
    1: ['authenticated', 'bool'],
    2: ['user', msg('UserInfo')],
    3: ['error', 'string'],
    4: ['audiences', listOf('string')],
  },
  UserInfo: {
    1: ['username', 'string'],
    2: ['uid', 'string'],
    3: ['groups', listOf('string')],
    4: ['extra', mapOf(msg('ExtraValue'))],
  },
  BoundObjectReference: {
    1: ['kind', 'string'],
    2: ['apiVersion', 'string'],
    3: ['name', 'string'],
    4: ['uid', 'string'],
  },
};
