import { ApiError } from '../../api/index.js';
import type { KubeObject } from '../kube-object.js';

/** What a mutating admission plugin is told about a write (upstream's admission.Attributes, the part we use). */
export interface AdmissionAttributes {
  readonly operation: 'CREATE' | 'UPDATE';
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The plural resource name (`pods`). */
  readonly resource: string;
  /** '' for the main resource. */
  readonly subresource: string;
  readonly namespace: string;
  /** The object being written; a plugin may change it in place. */
  readonly object: KubeObject;
}

/**
 * A mutating admission plugin. Plugins run in the order they are listed, after defaulting and NamespaceLifecycle
 * and before validation; one that throws (an ApiError) refuses the request.
 */
export interface MutatingAdmissionPlugin {
  readonly name: string;
  admit(attrs: AdmissionAttributes): void | Promise<void>;
}

/** Runs the plugins in order over one request. */
export async function admit(plugins: readonly MutatingAdmissionPlugin[], attrs: AdmissionAttributes): Promise<void> {
  for (const p of plugins) await p.admit(attrs);
}

/**
 * upstream's admission.NewForbidden: a 403 naming the object as admission sees it — its name, else its generateName
 * (names are generated after admission), else "Unknown".
 */
export function admissionForbidden(attrs: AdmissionAttributes, reason: string): ApiError {
  const meta = attrs.object.metadata ?? {};
  const name = meta.name || meta.generateName || 'Unknown';
  return ApiError.forbidden({ group: attrs.group, resource: attrs.resource }, name, reason);
}
