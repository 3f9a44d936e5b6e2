/**
 * ControllerRefs (the ownerReference with controller: true) as upstream's metav1 helpers and
 * PodControllerRefManager use them: building one, the patches that adopt and release a pod, and
 * which pods a controller claims (pkg/controller/controller_ref_manager.go).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { LabelSelector } from '../../api/index.js';

/** An object as far as ownership is concerned. */
export interface OwnedObject {
  metadata?: ObjectMeta;
}

/** The API group/version and kind of a controller, e.g. { apiVersion: 'apps/v1', kind: 'ReplicaSet' }. */
export interface GroupVersionKind {
  apiVersion: string;
  kind: string;
}

/** The content type of the adopt and release patches. */
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

/** The first ownerReference with controller: true, or undefined (metav1.GetControllerOf). */
export function getControllerOf(obj: OwnedObject): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((ref) => ref.controller === true);
}

/**
 * The ControllerRef that points at `owner` (metav1.NewControllerRef), keys in upstream's JSON order:
 * apiVersion, kind, name, uid, controller, blockOwnerDeletion.
 */
export function ownerReference(owner: OwnedObject, gvk: GroupVersionKind): OwnerReference {
  return {
    apiVersion: gvk.apiVersion,
    kind: gvk.kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * Why upstream's pod control refuses to create a pod with this ControllerRef, or undefined when it
 * is usable (validateControllerRef; the messages are upstream's).
 */
export function controllerRefError(ref: OwnerReference | undefined): string | undefined {
  if (ref === undefined) return 'controllerRef is nil';
  if (!ref.apiVersion) return 'controllerRef has empty APIVersion';
  if (!ref.kind) return 'controllerRef has empty Kind';
  if (ref.controller !== true) return 'controllerRef.Controller is not set to true';
  if (ref.blockOwnerDeletion !== true) return 'controllerRef.BlockOwnerDeletion is not set';
  return undefined;
}

/**
 * The strategic merge patch that makes `owner` the controller of the pod with `podUid`:
 * {"metadata":{"ownerReferences":[<ControllerRef>],"uid":"<pod uid>"}}. The uid makes the patch fail
 * when the pod was replaced by another of the same name.
 */
export function adoptPatch(owner: OwnedObject, gvk: GroupVersionKind, podUid: string): object {
  return { metadata: { ownerReferences: [ownerReference(owner, gvk)], uid: podUid } };
}

/**
 * The strategic merge patch that removes the ownerReference to `ownerUid` from the pod with `podUid`:
 * {"metadata":{"uid":"<pod uid>","ownerReferences":[{"$patch":"delete","uid":"<owner uid>"}]}}.
 */
export function releasePatch(ownerUid: string, podUid: string): object {
  return { metadata: { uid: podUid, ownerReferences: [{ $patch: 'delete', uid: ownerUid }] } };
}

/** What claiming does with each pod; pods in none of the lists are ignored. Each keeps the input order. */
export interface PodClassification<T extends OwnedObject = Pod> {
  /** Controlled by the owner and matching its selector: claimed without any request. */
  owned: T[];
  /** Orphans that match: claimed once an adoptPatch succeeds (a NotFound answer means not claimed, no error). */
  adopt: T[];
  /** Controlled by the owner but no longer matching: sent a releasePatch, never claimed. */
  release: T[];
}

/**
 * Sorts `pods` as PodControllerRefManager.ClaimPods decides, without doing any of it:
 * a pod controlled by another owner is ignored; one controlled by `owner` is owned when the selector
 * matches its labels and otherwise released, unless the owner is being deleted (then left alone);
 * an orphan is adopted only when the selector matches, the owner is not being deleted, `canAdopt` is
 * true (the caller's fresh read found the owner still there and not deleting), the pod has no
 * deletionTimestamp, and it is in the owner's namespace. Upstream makes that fresh read only when
 * some pod is to be adopted, and when it fails each such adoption fails the sync with
 * `can't adopt Pod <ns>/<name> (<uid>): <reason>`: classify with canAdopt true, read when `adopt`
 * is not empty, and classify again with false if the read says no. ReplicaSets are claimed by Deployments the same
 * way (ClaimReplicaSets).
 */
export function classifyPods<T extends OwnedObject = Pod>(
  owner: OwnedObject,
  selector: LabelSelector,
  pods: readonly T[],
  canAdopt = true,
): PodClassification<T> {
  const result: PodClassification<T> = { owned: [], adopt: [], release: [] };
  const ownerUid = owner.metadata?.uid;
  const ownerDeleting = owner.metadata?.deletionTimestamp !== undefined && owner.metadata.deletionTimestamp !== null;
  const ownerNamespace = owner.metadata?.namespace ?? '';
  for (const pod of pods) {
    const matches = selector.matches(pod.metadata?.labels);
    const ref = getControllerOf(pod);
    if (ref !== undefined) {
      if (ref.uid !== ownerUid) continue;
      if (matches) result.owned.push(pod);
      else if (!ownerDeleting) result.release.push(pod);
      continue;
    }
    if (ownerDeleting || !matches || !canAdopt) continue;
    if (pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null) continue;
    if (ownerNamespace !== '' && ownerNamespace !== (pod.metadata?.namespace ?? '')) continue;
    result.adopt.push(pod);
  }
  return result;
}
