/**
 * The `pod-template-hash` label value and ReplicaSet name suffix of a Deployment's template (upstream's
 * controller.ComputeHash): FNV-32a over a printing of the template, then over the collisionCount when there is one
 * (four little-endian bytes and four zero bytes), written in decimal and re-encoded with rand.SafeEncodeString.
 *
 * Deviation: upstream prints the Go struct with go-spew (`%#v`, Go type names, every zero field), which cannot be
 * reproduced from the JSON a client sees; we print the template as canonical JSON (keys sorted, null, empty objects
 * and empty arrays left out). The hash is deterministic and stable for the same template, so the same template
 * always yields the same ReplicaSet name, but it differs from the name upstream would give.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';

/** The label the Deployment controller adds to its ReplicaSets, their selectors and their Pods. */
export const DefaultDeploymentUniqueLabelKey = 'pod-template-hash';

/** upstream's rand alphanums: no vowels, no 0/1/3, so that no words are spelled. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: each byte of `s` becomes ALPHANUMS[byte % 27]. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-32a of `bytes`, continuing from `hash`. */
export function fnv32a(bytes: Uint8Array, hash = FNV_OFFSET): number {
  let h = hash >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h;
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** `value` with object keys sorted and null/empty members dropped: the printing that is hashed and compared. */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = canonicalize((value as Record<string, unknown>)[key]);
    if (!isEmpty(v)) out[key] = v;
  }
  return out;
}

/** ComputeHash(template, collisionCount). */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(JSON.stringify(canonicalize(template ?? {}))));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}
