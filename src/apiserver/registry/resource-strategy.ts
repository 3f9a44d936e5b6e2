import type { DeleteOptions } from 'kubernetes-types/meta/v1.js';
import type { FieldError } from '../../api/index.js';
import type { KubeObject } from '../kube-object.js';
import type { GarbageCollectionPolicy } from './deletion-finalizers.js';

/**
 * What differs between kinds in the generic create/update/delete flow (upstream's RESTCreateStrategy,
 * RESTUpdateStrategy and RESTDeleteStrategy). Every hook is optional; the generic store does the rest.
 */
export interface ResourceStrategy {
  /** Sets the fields the server owns on create (status reset, server-set finalizers…). Runs before validation. */
  prepareForCreate?(obj: KubeObject): void;
  /** Carries over what an update of the main resource may not change (status, …) from `old`. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** The same for a write to the status subresource: everything but status comes from `old`. */
  prepareForStatusUpdate?(obj: KubeObject, old: KubeObject): void;
  /** The same for a write to the finalize subresource (namespaces). */
  prepareForFinalizeUpdate?(obj: KubeObject, old: KubeObject): void;
  /**
   * Whether an update removes the object (upstream's ShouldDeleteDuringUpdate); by default, when it takes the last
   * finalizer from an object being deleted with no grace period left.
   */
  shouldDeleteDuringUpdate?(next: KubeObject, old: KubeObject): boolean;
  /**
   * A kind's own first step of a DELETE (namespaces): the stored object (a copy) as it should be marked, 'unchanged'
   * to answer with it as it is, or undefined for the generic deletion (finalizers, graceful deletion). May throw.
   */
  beginDelete?(obj: KubeObject, options: DeleteOptions, now: string): KubeObject | 'unchanged' | undefined;
  /** Kind-specific validation on create (ObjectMeta is validated by the store). */
  validate?(obj: KubeObject): FieldError[];
  /** Kind-specific validation on update (immutable fields …). */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** Field-selector fields beyond metadata.name and metadata.namespace (upstream's ToSelectableFields). */
  selectableFields?(obj: KubeObject): Record<string, string>;
  /** PUT without metadata.resourceVersion is allowed (an unconditional update). */
  readonly allowUnconditionalUpdate?: boolean;
  /** PUT of an absent object creates it. */
  readonly allowCreateOnUpdate?: boolean;
  /** metadata.generation starts at 1 and is bumped whenever anything but metadata and status changes. */
  readonly generation?: boolean;
  /**
   * An update (not of a subresource) that changes metadata.annotations bumps the generation too: upstream's
   * Deployments, whose annotations the controller copies to their ReplicaSets.
   */
  readonly generationOnAnnotations?: boolean;
  /**
   * The grace period of a delete: 0 removes the object at once; more marks it with deletionTimestamp and
   * deletionGracePeriodSeconds and leaves the removal to its owner (the kubelet, for Pods).
   */
  gracePeriodSeconds?(obj: KubeObject, requested: number | undefined): number;
  /**
   * What a DELETE without propagationPolicy does to dependents (upstream's DefaultGarbageCollectionPolicy):
   * DeleteDependents (in the background) unless the kind says OrphanDependents.
   */
  readonly defaultGarbageCollectionPolicy?: GarbageCollectionPolicy;
  /** Objects expire this many seconds after their last write (Events: --event-ttl). */
  readonly ttlSeconds?: number;
  /** Top-level fields that Go's omitempty leaves out when empty (ConfigMap `data` …). */
  readonly omitWhenEmpty?: readonly string[];
  /** Undoes what prepareForCreate took (allocations) when the create does not happen (invalid, conflict, dry run). */
  afterCreateFailure?(obj: KubeObject): void;
  /** Releases what the object held once it is removed from storage. */
  afterDelete?(obj: KubeObject): void;
  /** Takes note of an object already stored (at start-up), e.g. to mark its allocations as used. */
  reserve?(obj: KubeObject): void;
  /** DELETE answers with the object rather than a Status. */
  readonly returnDeletedObject?: boolean;
}
