/**
 * The patches the garbage collector sends (upstream's patch.go): strategic merge patches for built-in kinds, and the
 * JSON merge patches used where a kind takes no strategic merge patch. Each carries a precondition: the dependent's
 * uid (strategic) or its resourceVersion (JSON merge, which replaces the whole list).
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { GraphObject } from './graph-builder.js';

/** {"metadata":{"uid":…,"ownerReferences":[{"$patch":"delete","uid":…},…]}}: removes the references to `ownerUids`. */
export function deleteOwnerRefStrategicMergePatch(dependentUid: string, ownerUids: readonly string[]): object {
  return { metadata: { uid: dependentUid, ownerReferences: ownerUids.map((uid) => ({ $patch: 'delete', uid })) } };
}

/** The same as a JSON merge patch of the whole list, from the live object; undefined when no reference is to remove. */
export function deleteOwnerRefJSONMergePatch(live: GraphObject, ownerUids: readonly string[]): object | undefined {
  const refs = live.metadata?.ownerReferences ?? [];
  const kept = refs.filter((r) => !ownerUids.includes(r.uid));
  if (kept.length === refs.length) return undefined;
  return { metadata: { resourceVersion: live.metadata?.resourceVersion, ownerReferences: kept, uid: live.metadata?.uid } };
}

/** Sets blockOwnerDeletion: false on every blocking reference of the dependent with `uid`. */
export function unblockOwnerReferencesStrategicMergePatch(uid: string, owners: readonly OwnerReference[]): object {
  const blocking = owners.filter((o) => o.blockOwnerDeletion === true).map((o) => ({ ...o, blockOwnerDeletion: false }));
  return { metadata: { ownerReferences: blocking, uid } };
}

/** The same as a JSON merge patch of the whole list, from the live object. */
export function unblockOwnerReferencesJSONMergePatch(live: GraphObject): object {
  const refs = (live.metadata?.ownerReferences ?? []).map((o) => ({ ...o, blockOwnerDeletion: false }));
  return { metadata: { resourceVersion: live.metadata?.resourceVersion, ownerReferences: refs } };
}

/** {"metadata":{"resourceVersion":…,"finalizers":[…]}} without `finalizer`; undefined when the object does not have it. */
export function removeFinalizerPatch(live: GraphObject, finalizer: string): object | undefined {
  const finalizers = live.metadata?.finalizers ?? [];
  if (!finalizers.includes(finalizer)) return undefined;
  const rest = finalizers.filter((f) => f !== finalizer);
  return { metadata: { resourceVersion: live.metadata?.resourceVersion, finalizers: rest.length > 0 ? rest : null } };
}
