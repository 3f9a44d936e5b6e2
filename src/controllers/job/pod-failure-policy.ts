/** Upstream's matchPodFailurePolicy (pkg/controller/job/pod_failure_policy.go). */
import type { PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement, PodFailurePolicyOnPodConditionsPattern } from 'kubernetes-types/batch/v1.js';
import type { ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';

export type PodFailurePolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

export interface PodFailurePolicyMatch {
  /** Set when a FailJob rule matched: the Job's failure message. */
  readonly failJobMessage?: string;
  /** Whether the failure counts towards backoffLimit (false only for Ignore). */
  readonly countFailed: boolean;
  /** The action of the matching rule; undefined when none matched. */
  readonly action?: PodFailurePolicyAction;
}

function exitCodeMatches(code: number, req: PodFailurePolicyOnExitCodesRequirement): boolean {
  const listed = req.values.includes(code);
  return req.operator === 'In' ? listed : req.operator === 'NotIn' ? !listed : false;
}

/** The first terminated container with a non-zero exit code the requirement matches (containers, then init containers). */
function matchOnExitCodes(status: PodStatus | undefined, req: PodFailurePolicyOnExitCodesRequirement): ContainerStatus | undefined {
  for (const list of [status?.containerStatuses, status?.initContainerStatuses]) {
    for (const cs of list ?? []) {
      const code = cs.state?.terminated?.exitCode;
      if (code === undefined || code === 0) continue;
      if (req.containerName && req.containerName !== cs.name) continue;
      if (exitCodeMatches(code, req)) return cs;
    }
  }
  return undefined;
}

function matchOnPodConditions(status: PodStatus | undefined, patterns: readonly PodFailurePolicyOnPodConditionsPattern[]): PodCondition | undefined {
  for (const pattern of patterns) {
    for (const c of status?.conditions ?? []) {
      if (c.type === pattern.type && c.status === (pattern.status || 'True')) return c;
    }
  }
  return undefined;
}

/**
 * The first rule that matches the failed pod decides: FailJob gives upstream's message, Ignore does not count the
 * failure, Count and FailIndex count it. No policy, or no matching rule: counted, no action.
 */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: Pod): PodFailurePolicyMatch {
  if (!policy) return { countFailed: true };
  const podName = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
  for (const [index, rule] of policy.rules.entries()) {
    const action = rule.action as PodFailurePolicyAction;
    if (rule.onExitCodes) {
      const cs = matchOnExitCodes(pod.status, rule.onExitCodes);
      if (!cs) continue;
      if (action === 'FailJob') {
        const message = `Container ${cs.name} for pod ${podName} failed with exit code ${cs.state?.terminated?.exitCode ?? 0} matching FailJob rule at index ${index}`;
        return { failJobMessage: message, countFailed: true, action };
      }
      return { countFailed: action !== 'Ignore', action };
    }
    if (rule.onPodConditions) {
      const condition = matchOnPodConditions(pod.status, rule.onPodConditions);
      if (!condition) continue;
      if (action === 'FailJob') {
        return { failJobMessage: `Pod ${podName} has condition ${condition.type} matching FailJob rule at index ${index}`, countFailed: true, action };
      }
      return { countFailed: action !== 'Ignore', action };
    }
  }
  return { countFailed: true };
}
