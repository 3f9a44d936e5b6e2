/** Upstream's matchSuccessPolicy (pkg/controller/job/success_policy.go): when an Indexed Job has succeeded early. */
import type { SuccessPolicy } from 'kubernetes-types/batch/v1.js';
import { parseIndexes } from './completion-index.js';

/**
 * The message of the first rule the succeeded indexes satisfy (`Matched rules at index N`), or undefined. A rule with
 * succeededIndexes needs all of them, or succeededCount of them; a rule with only succeededCount needs that many
 * indexes in all.
 */
export function matchSuccessPolicy(policy: SuccessPolicy | undefined, completions: number, succeeded: ReadonlySet<number>): string | undefined {
  if (!policy || succeeded.size === 0) return undefined;
  for (const [index, rule] of policy.rules.entries()) {
    const count = rule.succeededCount;
    if (rule.succeededIndexes !== undefined && rule.succeededIndexes !== null) {
      const required = parseIndexes(rule.succeededIndexes, completions);
      if (required.size === 0) continue;
      const matched = [...required].filter((ix) => succeeded.has(ix)).length;
      if ((count === undefined || count === null) && matched === required.size) return `Matched rules at index ${index}`;
      if (count !== undefined && count !== null && matched >= count) return `Matched rules at index ${index}`;
    } else if (count !== undefined && count !== null && succeeded.size >= count) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}
