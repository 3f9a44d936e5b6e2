import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { OBJECT_META_ORDER } from '../api/index.js';

export type MutableObjectMeta = { -readonly [K in keyof ObjectMeta]: ObjectMeta[K] };

/** Any Kubernetes object as decoded from JSON: type meta, object meta, and whatever else its kind has. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: MutableObjectMeta;
  [field: string]: unknown;
}

/** Metadata keys in the order upstream serialises ObjectMeta (Go struct order). */
const METADATA_ORDER = OBJECT_META_ORDER;

/**
 * Rebuilds an object with upstream's key order: kind, apiVersion, metadata (in ObjectMeta's order), then the
 * rest as given (spec before status when both exist), so our JSON reads like kube-apiserver's.
 */
export function canonicalOrder(obj: KubeObject): KubeObject {
  const out: KubeObject = {};
  if (obj.kind !== undefined) out.kind = obj.kind;
  if (obj.apiVersion !== undefined) out.apiVersion = obj.apiVersion;
  if (obj.metadata !== undefined) {
    const meta: Record<string, unknown> = {};
    const src = obj.metadata as Record<string, unknown>;
    for (const k of METADATA_ORDER) if (src[k] !== undefined) meta[k] = src[k];
    for (const k of Object.keys(src)) if (!(k in meta) && src[k] !== undefined) meta[k] = src[k];
    out.metadata = meta as MutableObjectMeta;
  }
  for (const k of Object.keys(obj)) {
    if (k === 'kind' || k === 'apiVersion' || k === 'metadata' || k === 'status') continue;
    out[k] = obj[k];
  }
  if (obj.status !== undefined) out.status = obj.status;
  return out;
}
