/** The Pod a controller creates from its template (upstream GetPodFromTemplate and RealPodControl.CreatePods). */
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import { nameIsDNSSubdomain } from '../../api/index.js';
import { controllerRefError } from '../runtime/controller-ref.js';
import { copyJson } from '../../lib/index.js';

/** `<name>-` when that is a valid generateName for a pod, else `<name>` (upstream getPodsPrefix). */
export function podNamePrefix(controllerName: string): string {
  const prefix = `${controllerName}-`;
  return nameIsDNSSubdomain(prefix, true).length === 0 ? prefix : controllerName;
}

/** A controller with a Pod template: a ReplicaSet, a Job. */
export interface PodTemplateOwner {
  readonly metadata?: ObjectMeta;
  readonly spec?: { readonly template?: PodTemplateSpec };
}

/**
 * The Pod to POST for `rs`: kind and apiVersion, metadata with generateName podNamePrefix(rs name) (or `generateName`),
 * the controller's namespace, copies of the template's labels, annotations (the template's only) and
 * finalizers (each left out when empty, as upstream's JSON does), ownerReferences [controllerRef];
 * and a deep copy of the template's spec. Nothing is shared with `rs`. Throws an Error with
 * upstream's message when controllerRef is not a full ControllerRef or the template has no labels,
 * the two cases in which upstream's pod control refuses to create.
 */
export function podFromTemplate<T extends PodTemplateOwner>(rs: T, controllerRef: OwnerReference, generateName?: string): Pod {
  const refError = controllerRefError(controllerRef);
  if (refError !== undefined) throw new Error(refError);
  const template = rs.spec?.template;
  const labels = { ...(template?.metadata?.labels ?? {}) };
  if (Object.keys(labels).length === 0) throw new Error('unable to create pods, no labels');
  const annotations = { ...(template?.metadata?.annotations ?? {}) };
  const finalizers = [...(template?.metadata?.finalizers ?? [])];

  const namespace = rs.metadata?.namespace;
  const metadata: ObjectMeta = {
    generateName: generateName ?? podNamePrefix(rs.metadata?.name ?? ''),
    ...(namespace ? { namespace } : {}),
    labels,
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    ownerReferences: [{ ...controllerRef }],
    ...(finalizers.length > 0 ? { finalizers } : {}),
  };
  const spec = template?.spec;
  const pod: Pod = { kind: 'Pod', apiVersion: 'v1', metadata, ...(spec !== undefined ? { spec: copyJson(spec) } : {}) };
  return pod;
}
