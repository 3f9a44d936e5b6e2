import type { KeyValue } from '../../storage/index.js';
import { canonicalOrder, type KubeObject } from '../kube-object.js';
import type { ResourceDefinition } from './resource-definition.js';

/** A stored value as `def` serves it (through its conversion, when it shares storage with another version). */
export function decodeKeyValue(def: ResourceDefinition, kv: KeyValue): KubeObject {
  const obj = decodeFromStorage(kv);
  return def.conversion ? withResourceVersion(def.conversion.fromStorage(obj), kv.modRevision) : obj;
}

export function encodeObject(def: ResourceDefinition, obj: KubeObject): string {
  return encodeForStorage(def.conversion ? def.conversion.toStorage(obj) : obj);
}

/**
 * How objects are stored: their JSON in upstream's key order, without metadata.resourceVersion (the key's
 * modRevision is the resourceVersion, as in kube-apiserver's etcd3 store).
 */
export function encodeForStorage(obj: KubeObject): string {
  const ordered = canonicalOrder(obj);
  if (ordered.metadata) {
    const { resourceVersion: _rv, selfLink: _sl, ...rest } = ordered.metadata;
    ordered.metadata = rest;
  }
  return JSON.stringify(ordered);
}

/** The stored object as clients see it: resourceVersion set to the key's modRevision (in its place, after uid). */
export function decodeFromStorage(kv: KeyValue): KubeObject {
  const obj = JSON.parse(kv.value) as KubeObject;
  return withResourceVersion(obj, kv.modRevision);
}

export function withResourceVersion(obj: KubeObject, revision: number): KubeObject {
  const meta = obj.metadata ?? {};
  const out: Record<string, unknown> = {};
  let placed = false;
  for (const [k, v] of Object.entries(meta)) {
    if (k === 'resourceVersion') continue;
    if (!placed && (k === 'generation' || k === 'creationTimestamp' || k === 'deletionTimestamp' || k === 'deletionGracePeriodSeconds' || k === 'labels' || k === 'annotations' || k === 'ownerReferences' || k === 'finalizers' || k === 'managedFields')) {
      out.resourceVersion = String(revision);
      placed = true;
    }
    out[k] = v;
  }
  if (!placed) out.resourceVersion = String(revision);
  obj.metadata = out;
  return obj;
}

/** RFC 3339 in seconds, as Kubernetes serialises metav1.Time. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
