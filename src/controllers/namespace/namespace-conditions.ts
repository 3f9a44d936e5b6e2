import type { NamespaceCondition, NamespaceStatus } from 'kubernetes-types/core/v1.js';

/** The conditions the namespace controller maintains on a namespace being deleted, in upstream's order. */
export const NAMESPACE_DELETION_CONDITIONS = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

type ConditionType = (typeof NAMESPACE_DELETION_CONDITIONS)[number];

/** Reason and message of each condition when nothing is wrong (status "False"). */
const OK: Record<ConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

/** What a pass over every resource left behind: instances by `resource.group`, and by finalizer. */
export interface RemainingContent {
  readonly byResource: ReadonlyMap<string, number>;
  readonly byFinalizer: ReadonlyMap<string, number>;
}

interface Problem {
  readonly type: ConditionType;
  readonly reason: string;
  readonly message: string;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Collects what went wrong while deleting a namespace's content and turns it into its status conditions (upstream's
 * namespaceConditionUpdater): each condition is "True" with its failure, or "False" with its all-clear message.
 */
export class NamespaceConditionUpdater {
  private readonly problems: Problem[] = [];
  private readonly deleteContentErrors: string[] = [];

  discoveryFailed(err: unknown): void {
    this.problems.push({ type: 'NamespaceDeletionDiscoveryFailure', reason: 'DiscoveryFailed', message: messageOf(err) });
  }

  groupVersionParsingFailed(err: unknown): void {
    this.problems.push({ type: 'NamespaceDeletionGroupVersionParsingFailure', reason: 'GroupVersionParsingFailed', message: messageOf(err) });
  }

  deleteContentFailed(err: unknown): void {
    this.deleteContentErrors.push(messageOf(err));
  }

  contentRemaining(remaining: RemainingContent): void {
    const resources = [...remaining.byResource].filter(([, n]) => n > 0).map(([r, n]) => `${r} has ${n} resource instances`);
    if (resources.length > 0) {
      this.problems.push({ type: 'NamespaceContentRemaining', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${resources.sort().join(', ')}` });
    }
    const finalizers = [...remaining.byFinalizer].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`);
    if (finalizers.length > 0) {
      this.problems.push({
        type: 'NamespaceFinalizersRemaining',
        reason: 'SomeFinalizersRemain',
        message: `Some content in the namespace has finalizers remaining: ${finalizers.sort().join(', ')}`,
      });
    }
  }

  /** Writes the conditions into `status`; true when anything changed. `now` is an RFC 3339 time. */
  update(status: NamespaceStatus, now: string): boolean {
    const problems = [...this.problems];
    if (this.deleteContentErrors.length > 0 && !problems.some((p) => p.type === 'NamespaceDeletionContentFailure')) {
      const msgs = [...this.deleteContentErrors].sort();
      problems.push({
        type: 'NamespaceDeletionContentFailure',
        reason: 'ContentDeletionFailed',
        message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`,
      });
    }
    let changed = false;
    const conditions: NamespaceCondition[] = (status.conditions ??= []);
    for (const type of NAMESPACE_DELETION_CONDITIONS) {
      const problem = problems.find((p) => p.type === type);
      const want = problem ? { status: 'True', reason: problem.reason, message: problem.message } : { status: 'False', ...OK[type] };
      const have = conditions.find((c) => c.type === type);
      if (!have) {
        conditions.push({ type, status: want.status, lastTransitionTime: now, reason: want.reason, message: want.message });
        changed = true;
      } else if (have.status !== want.status || have.reason !== want.reason || have.message !== want.message) {
        if (have.status !== want.status) have.lastTransitionTime = now;
        Object.assign(have, want);
        changed = true;
      }
    }
    return changed;
  }
}
