import type { UserInfo } from '../authn/index.js';

/** What a request wants to do, as upstream's authorizer.Attributes describe it. */
export interface Attributes {
  readonly user: UserInfo;
  readonly verb: string;
  readonly resourceRequest: boolean;
  /** Non-resource requests: the URL path. */
  readonly path?: string;
  readonly namespace?: string;
  readonly apiGroup?: string;
  readonly apiVersion?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly name?: string;
  /** The request's fieldSelector as sent (list and watch), for authorizers that scope reads by it. */
  readonly fieldSelector?: string;
}

export type Decision = 'Allow' | 'Deny' | 'NoOpinion';

/**
 * Decides whether a request may proceed. Authorizers are consulted in order (upstream's --authorization-mode); the
 * first Allow or Deny decides, and a request nobody allows is forbidden.
 */
export interface Authorizer {
  authorize(attributes: Attributes): Promise<{ decision: Decision; reason: string }>;
}

/** upstream's AlwaysAllow mode. */
export const alwaysAllow: Authorizer = {
  authorize: async () => ({ decision: 'Allow', reason: '' }),
};
