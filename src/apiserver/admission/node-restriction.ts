import { isDeepStrictEqual } from 'node:util';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/index.js';
import type { UserInfo } from '../authn/index.js';
import { nodeIdentity } from '../authz/node-authorizer.js';
import type { WriteAttributes } from '../registry/resource-definition.js';

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** Labels a kubelet may set on its Node although they are in kubernetes.io or k8s.io (upstream's kubeletapis). */
const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname',
  'kubernetes.io/arch',
  'kubernetes.io/os',
  'beta.kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/instance-type',
  'node.kubernetes.io/instance-type',
  'failure-domain.beta.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'topology.kubernetes.io/zone',
]);
const KUBELET_LABEL_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

const labelNamespace = (key: string) => (key.includes('/') ? key.slice(0, key.indexOf('/')) : '');
const under = (ns: string, domain: string) => ns === domain || ns.endsWith(`.${domain}`);

function isKubeletLabel(key: string): boolean {
  if (KUBELET_LABELS.has(key)) return true;
  const ns = labelNamespace(key);
  return KUBELET_LABEL_NAMESPACES.some((d) => under(ns, d));
}

/** Labels a node may not add, change or remove on itself: node-restriction.kubernetes.io/ and unknown kubernetes.io or k8s.io ones. */
function forbiddenLabels(next: Record<string, string> = {}, old: Record<string, string> = {}): string[] {
  const modified = new Set<string>();
  for (const [k, v] of Object.entries(next)) if (old[k] !== v) modified.add(k);
  for (const [k, v] of Object.entries(old)) if (next[k] !== v) modified.add(k);
  return [...modified]
    .filter((k) => {
      const ns = labelNamespace(k);
      if (under(ns, 'node-restriction.kubernetes.io')) return true;
      return (under(ns, 'kubernetes.io') || under(ns, 'k8s.io')) && !isKubeletLabel(k);
    })
    .sort();
}

export interface NodeRestrictionOptions {
  /** The uid of a Node, undefined when there is none. */
  nodeUid(name: string): Promise<string | undefined>;
}

/**
 * upstream's NodeRestriction admission plugin: a node (`system:node:<name>` in `system:nodes`) may create only mirror
 * Pods bound to itself, delete and update the status of only Pods bound to itself, write only its own Node (without
 * node-restriction labels, taint changes or new ownerReferences) and only its own Lease.
 */
export function nodeRestriction(opts: NodeRestrictionOptions): (attrs: WriteAttributes, user: UserInfo | undefined) => Promise<void> {
  return async (attrs, user) => {
    if (!user) return;
    const { isNode, nodeName } = nodeIdentity(user);
    if (!isNode) return;
    const { def, operation, subresource } = attrs;
    const gr = { group: def.group, resource: def.resource };
    const refuse = (message: string) => ApiError.forbidden(gr, attrs.name || (attrs.object.metadata?.name ?? ''), message);
    if (nodeName === '') throw refuse(`could not determine node from user "${user.username}"`);
    const resource = `${def.group}/${def.resource}`;
    if (resource === '/pods') {
      const pod = attrs.object as Pod;
      const old = attrs.oldObject as Pod | undefined;
      if (subresource === 'status') {
        if (operation !== 'UPDATE') throw refuse(`unexpected operation "${operation}"`);
        if (old?.spec?.nodeName !== nodeName) throw refuse(`node "${nodeName}" can only update pod status for pods with spec.nodeName set to itself`);
        if (!isDeepStrictEqual(old.metadata?.labels ?? {}, pod.metadata?.labels ?? {})) throw refuse(`node "${nodeName}" cannot update labels through pod status`);
        return;
      }
      if (subresource === 'eviction') {
        if (pod.spec?.nodeName !== nodeName) throw refuse(`node ${nodeName} can only evict pods with spec.nodeName set to itself`);
        return;
      }
      if (subresource !== '') throw refuse(`unexpected pod subresource "${subresource}", only 'status' and 'eviction' are allowed`);
      if (operation === 'DELETE') {
        if (pod.spec?.nodeName !== nodeName) throw refuse(`node "${nodeName}" can only delete pods with spec.nodeName set to itself`);
        return;
      }
      if (operation === 'CREATE') return admitMirrorPod(nodeName, pod, refuse, opts);
      throw refuse(`unexpected operation "${operation}", node "${nodeName}" can only create and delete mirror pods`);
    }
    if (resource === '/nodes') {
      if (attrs.name !== nodeName) throw refuse(`node "${nodeName}" is not allowed to modify node "${attrs.name}"`);
      const node = attrs.object as Node;
      const old = attrs.oldObject as Node | undefined;
      if (operation === 'CREATE') {
        if (node.spec?.configSource) throw refuse(`node "${nodeName}" is not allowed to create pods with a non-nil configSource`);
        if ((node.metadata?.ownerReferences ?? []).length > 0) throw refuse(`node "${nodeName}" is not allowed to set ownerReferences`);
        const bad = forbiddenLabels(node.metadata?.labels);
        if (bad.length > 0) throw refuse(`node "${nodeName}" is not allowed to set the following labels: ${bad.join(', ')}`);
      } else if (operation === 'UPDATE' && old) {
        if (node.spec?.configSource && !isDeepStrictEqual(node.spec.configSource, old.spec?.configSource)) {
          throw refuse(`node "${nodeName}" is not allowed to update configSource to a new non-nil configSource`);
        }
        if (!isDeepStrictEqual(node.spec?.taints ?? [], old.spec?.taints ?? [])) throw refuse(`node "${nodeName}" is not allowed to modify taints`);
        if (!isDeepStrictEqual(node.metadata?.ownerReferences ?? [], old.metadata?.ownerReferences ?? [])) throw refuse(`node "${nodeName}" is not allowed to modify ownerReferences`);
        const bad = forbiddenLabels(node.metadata?.labels, old.metadata?.labels);
        if (bad.length > 0) throw refuse(`is not allowed to modify labels: ${bad.join(', ')}`);
      }
      return;
    }
    if (resource === 'coordination.k8s.io/leases') {
      if (attrs.namespace !== NODE_LEASE_NAMESPACE) throw refuse(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
      const name = operation === 'CREATE' ? (attrs.object.metadata?.name ?? '') : attrs.name;
      if (name !== nodeName) throw refuse('can only access node lease with the same name as the requesting node');
    }
  };
}

async function admitMirrorPod(nodeName: string, pod: Pod, refuse: (m: string) => ApiError, opts: NodeRestrictionOptions): Promise<void> {
  if (pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] === undefined) {
    throw refuse(`pod does not have "${MIRROR_POD_ANNOTATION}" annotation, node "${nodeName}" can only create mirror pods`);
  }
  if (pod.spec?.nodeName !== nodeName) throw refuse(`node "${nodeName}" can only create pods with spec.nodeName set to itself`);
  const owners = pod.metadata.ownerReferences ?? [];
  if (owners.length > 1) throw refuse(`node "${nodeName}" can only create pods with a single owner reference set to itself`);
  const owner = owners[0];
  if (!owner || owner.apiVersion !== 'v1' || owner.kind !== 'Node' || owner.name !== nodeName) {
    throw refuse(`node "${nodeName}" can only create pods with an owner reference set to itself`);
  }
  if (!owner.controller) throw refuse(`node "${nodeName}" can only create pods with a controller owner reference set to itself`);
  if (owner.blockOwnerDeletion) throw refuse(`node "${nodeName}" must not set blockOwnerDeletion on an owner reference`);
  const uid = await opts.nodeUid(nodeName);
  if (uid === undefined) throw ApiError.notFound({ group: '', resource: 'nodes' }, nodeName);
  if (owner.uid !== uid) throw refuse(`node ${nodeName} UID mismatch: expected ${owner.uid} got ${uid}`);
  const spec = pod.spec;
  if (spec.serviceAccountName) throw refuse(`node "${nodeName}" can not create pods that reference a service account`);
  const containers = [...(spec.initContainers ?? []), ...spec.containers, ...(spec.ephemeralContainers ?? [])];
  const volumes = spec.volumes ?? [];
  const secrets =
    (spec.imagePullSecrets ?? []).length > 0 ||
    containers.some((c) => (c.envFrom ?? []).some((e) => e.secretRef) || (c.env ?? []).some((e) => e.valueFrom?.secretKeyRef)) ||
    volumes.some((v) => v.secret || (v.projected?.sources ?? []).some((s) => s.secret));
  if (secrets) throw refuse(`node "${nodeName}" can not create pods that reference secrets`);
  const configMaps =
    containers.some((c) => (c.envFrom ?? []).some((e) => e.configMapRef) || (c.env ?? []).some((e) => e.valueFrom?.configMapKeyRef)) ||
    volumes.some((v) => v.configMap || (v.projected?.sources ?? []).some((s) => s.configMap));
  if (configMaps) throw refuse(`node "${nodeName}" can not create pods that reference configmaps`);
  if (volumes.some((v) => v.persistentVolumeClaim)) throw refuse(`node "${nodeName}" can not create pods that reference persistentvolumeclaims`);
}
