import type { KeyValue } from '../../storage/index.js';
import { canonicalOrder, type KubeObject } from '../kube-object.js';
import type { ResourceDefinition } from './resource-definition.js';
import { CachedObject } from '../watch-cache/cached-object.js';

const STORED_HEAD = /^\{"kind":"[^"\\]*","apiVersion":"[^"\\]*","metadata":\{/;

/**
 * The JSON clients get for a stored value, without decoding it: the stored text with `"resourceVersion":"N"`
 * put in its place after `uid`. Only for text in the layout encodeForStorage writes (metadata first, then its
 * plain string fields up to uid); anything else returns undefined and is re-serialised instead.
 */
export function storedJson(stored: string, revision: number): string | undefined {
  const head = STORED_HEAD.exec(stored);
  if (!head) return undefined;
  const uidAt = stored.indexOf('"uid":"', head[0].length);
  if (uidAt < 0) return undefined;
  const between = stored.slice(head[0].length, uidAt);
  if (between.includes('{') || between.includes('}') || between.includes('\\')) return undefined;
  const end = stored.indexOf('"', uidAt + 7);
  if (end < 0) return undefined;
  return `${stored.slice(0, end + 1)},"resourceVersion":"${revision}"${stored.slice(end + 1)}`;
}

/** A stored key-value as a cached object of `def`: JSON from the stored text where possible, decoded on demand. */
export function cachedFromStorage(def: ResourceDefinition, kv: KeyValue): CachedObject {
  const json = def.conversion ? undefined : storedJson(kv.value, kv.modRevision);
  return new CachedObject(kv.key, () => decodeKeyValue(def, kv), kv.modRevision, json);
}

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
