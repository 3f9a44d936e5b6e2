import type { DeleteOptions } from 'kubernetes-types/meta/v1.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

/** What a DELETE does to dependents when neither the options nor the object's finalizers say (rest.GarbageCollectionPolicy). */
export type GarbageCollectionPolicy = 'DeleteDependents' | 'OrphanDependents';

/**
 * upstream's deletionFinalizersForGarbageCollection: the finalizers a DELETE leaves on the object. An explicit
 * orphanDependents, then propagationPolicy, then an `orphan`/`foregroundDeletion` finalizer already present, then the
 * kind's default policy decide whether the object gets `orphan` (its dependents lose their ownerReferences) or
 * `foregroundDeletion` (it stays until its blocking dependents are gone); Background removes both.
 */
export function deletionFinalizers(finalizers: readonly string[], options: DeleteOptions, defaultPolicy: GarbageCollectionPolicy = 'DeleteDependents'): string[] {
  const orphan = shouldOrphan(finalizers, options, defaultPolicy);
  const foreground = shouldDeleteInForeground(finalizers, options);
  const out = finalizers.filter((f) => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND);
  if (orphan) out.push(FINALIZER_ORPHAN);
  if (foreground) out.push(FINALIZER_FOREGROUND);
  const same = out.length === finalizers.length && out.every((f) => finalizers.includes(f));
  return same ? [...finalizers] : out;
}

function shouldOrphan(finalizers: readonly string[], options: DeleteOptions, defaultPolicy: GarbageCollectionPolicy): boolean {
  if (typeof options.orphanDependents === 'boolean') return options.orphanDependents;
  if (options.propagationPolicy === 'Orphan') return true;
  if (options.propagationPolicy === 'Background' || options.propagationPolicy === 'Foreground') return false;
  for (const f of finalizers) {
    if (f === FINALIZER_ORPHAN) return true;
    if (f === FINALIZER_FOREGROUND) return false;
  }
  return defaultPolicy === 'OrphanDependents';
}

function shouldDeleteInForeground(finalizers: readonly string[], options: DeleteOptions): boolean {
  if (typeof options.orphanDependents === 'boolean') return false;
  if (options.propagationPolicy === 'Foreground') return true;
  if (options.propagationPolicy === 'Background' || options.propagationPolicy === 'Orphan') return false;
  for (const f of finalizers) {
    if (f === FINALIZER_FOREGROUND) return true;
    if (f === FINALIZER_ORPHAN) return false;
  }
  return false;
}
