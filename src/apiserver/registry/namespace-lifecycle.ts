import type { DeleteOptions } from 'kubernetes-types/meta/v1.js';
import { ApiError } from '../../api/index.js';
import type { KubeObject } from '../kube-object.js';

/** NamespaceLifecycle's immortal namespaces: DELETE is refused (kube-apiserver's default set). */
export const IMMORTAL_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public']);

type Obj = Record<string, unknown>;

function specFinalizers(ns: KubeObject): unknown[] {
  const spec = ns.spec as Obj | undefined;
  return Array.isArray(spec?.finalizers) ? spec.finalizers : [];
}

/** upstream's shouldHaveOrphanFinalizer / shouldHaveDeleteDependentsFinalizer, from the DeleteOptions. */
function wantsFinalizer(options: DeleteOptions, finalizer: 'orphan' | 'foregroundDeletion', has: boolean): boolean {
  if (options.orphanDependents !== undefined && options.orphanDependents !== null) {
    return finalizer === 'orphan' ? options.orphanDependents : !options.orphanDependents;
  }
  if (options.propagationPolicy) return options.propagationPolicy === (finalizer === 'orphan' ? 'Orphan' : 'Foreground');
  return has;
}

/**
 * The namespace registry's DELETE: the first one sets deletionTimestamp and phase Terminating (and the orphan or
 * foregroundDeletion finalizer the options ask for) and keeps the namespace; later ones answer with it unchanged
 * while spec.finalizers holds anything (the namespace controller empties it through /finalize). Once spec.finalizers
 * is empty the generic deletion goes on (metadata.finalizers still hold it). Immortal namespaces are refused (403).
 */
export function beginNamespaceDelete(ns: KubeObject, options: DeleteOptions, now: string): KubeObject | 'unchanged' | undefined {
  const meta = (ns.metadata ??= {});
  const name = meta.name ?? '';
  if (IMMORTAL_NAMESPACES.has(name)) throw ApiError.forbidden({ group: '', resource: 'namespaces' }, name, 'this namespace may not be deleted');
  if (meta.deletionTimestamp) return specFinalizers(ns).length > 0 ? 'unchanged' : undefined;
  meta.deletionTimestamp = now;
  ns.status = { ...((ns.status as Obj | undefined) ?? {}), phase: 'Terminating' };
  const current = new Set(meta.finalizers ?? []);
  for (const f of ['orphan', 'foregroundDeletion'] as const) {
    if (wantsFinalizer(options, f, current.has(f))) current.add(f);
    else current.delete(f);
  }
  if (current.size > 0) meta.finalizers = [...current];
  else delete meta.finalizers;
  return ns;
}

/**
 * upstream's ShouldDeleteNamespaceDuringUpdate: a write that leaves a namespace being deleted without spec.finalizers
 * and metadata.finalizers removes it.
 */
export function namespaceDeletedDuringUpdate(next: KubeObject, old: KubeObject): boolean {
  const meta = old.metadata ?? {};
  const grace = meta.deletionGracePeriodSeconds;
  return specFinalizers(next).length === 0 && (next.metadata?.finalizers ?? []).length === 0 && !!meta.deletionTimestamp && (grace === undefined || grace === null || grace === 0);
}
