/**
 * What the collector does with an object once it has classified its live ownerReferences (the pure part of
 * upstream's attemptToDeleteItem).
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN, hasFinalizer, type GraphObject } from './graph-builder.js';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

/** The owners a dependent names, by what a live read found. */
export interface OwnerClassification {
  /** Exists with the referenced uid and is not waiting for its dependents. */
  readonly solid: readonly OwnerReference[];
  /** Absent (not found, or found with another uid). */
  readonly dangling: readonly OwnerReference[];
  /** Being deleted with the foregroundDeletion finalizer. */
  readonly waitingForDependentsDeletion: readonly OwnerReference[];
}

export type DeleteDecision =
  | { readonly action: 'keep' }
  /** Some owner is still there: drop the references to the others. */
  | { readonly action: 'remove-owner-references'; readonly ownerUids: readonly string[] }
  /** No owner keeps it: delete it (after making its own references non-blocking, to break a cycle). */
  | { readonly action: 'delete'; readonly policy: PropagationPolicy; readonly unblockFirst: boolean };

/**
 * `hasDependents`: the graph knows dependents of the object; `aDependentIsDeletingDependents`: one of them is itself
 * waiting for its dependents (a possible cycle).
 */
export function decideDeletion(latest: GraphObject, owners: OwnerClassification, hasDependents: boolean, aDependentIsDeletingDependents: boolean): DeleteDecision {
  if (owners.solid.length > 0) {
    if (owners.dangling.length === 0 && owners.waitingForDependentsDeletion.length === 0) return { action: 'keep' };
    return { action: 'remove-owner-references', ownerUids: [...owners.dangling, ...owners.waitingForDependentsDeletion].map((r) => r.uid) };
  }
  if (owners.waitingForDependentsDeletion.length > 0 && hasDependents) {
    return { action: 'delete', policy: 'Foreground', unblockFirst: aDependentIsDeletingDependents };
  }
  const policy: PropagationPolicy = hasFinalizer(latest, FINALIZER_ORPHAN) ? 'Orphan' : hasFinalizer(latest, FINALIZER_FOREGROUND) ? 'Foreground' : 'Background';
  return { action: 'delete', policy, unblockFirst: false };
}
