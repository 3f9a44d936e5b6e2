import type { Pod, PodSpec, Volume } from 'kubernetes-types/core/v1.js';

export type VertexType = 'pod' | 'secret' | 'configmap' | 'pvc' | 'serviceaccount';

interface PodEdges {
  readonly node: string;
  readonly vertices: readonly string[];
}

const vertexKey = (type: VertexType, namespace: string, name: string) => `${type}/${namespace}/${name}`;

/**
 * upstream's node authorizer graph, for the relations Skiff serves: a Pod bound to a node links the node to the Pod
 * and to the Secrets, ConfigMaps, PersistentVolumeClaims and ServiceAccount the Pod references. Counts per
 * (node, object) pair, so an object stays reachable while any of the node's Pods references it. Fed by Pod events
 * (`setPod` / `deletePod`); unbound Pods add nothing.
 */
export class NodeGraph {
  private readonly pods = new Map<string, PodEdges>();
  private readonly byNode = new Map<string, Map<string, number>>();

  /** Whether `type namespace/name` is related to `node`. */
  hasPath(node: string, type: VertexType, namespace: string, name: string): boolean {
    return (this.byNode.get(node)?.get(vertexKey(type, namespace, name)) ?? 0) > 0;
  }

  /** Whether the node is known (it has at least one Pod bound to it). */
  hasNode(node: string): boolean {
    return this.byNode.has(node);
  }

  setPod(pod: Pod): void {
    const key = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
    this.forgetPod(key);
    const node = pod.spec?.nodeName;
    if (!node) return;
    const edges: PodEdges = { node, vertices: podVertices(pod) };
    this.pods.set(key, edges);
    let counts = this.byNode.get(node);
    if (!counts) this.byNode.set(node, (counts = new Map()));
    for (const v of edges.vertices) counts.set(v, (counts.get(v) ?? 0) + 1);
  }

  deletePod(pod: Pod): void {
    this.forgetPod(`${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`);
  }

  /** Removes the Pod `namespace/name` (deleted, or not bound to a node) and what only it related to its node. */
  forgetPod(key: string): void {
    const edges = this.pods.get(key);
    if (!edges) return;
    this.pods.delete(key);
    const counts = this.byNode.get(edges.node);
    if (!counts) return;
    for (const v of edges.vertices) {
      const n = (counts.get(v) ?? 0) - 1;
      if (n > 0) counts.set(v, n);
      else counts.delete(v);
    }
    if (counts.size === 0) this.byNode.delete(edges.node);
  }

  clear(): void {
    this.pods.clear();
    this.byNode.clear();
  }
}

/** The Pod itself and everything it references (volumes, projected sources, env, envFrom, image pull secrets). */
function podVertices(pod: Pod): string[] {
  const ns = pod.metadata?.namespace ?? '';
  const out = new Set<string>([vertexKey('pod', ns, pod.metadata?.name ?? '')]);
  const spec: PodSpec = pod.spec ?? { containers: [] };
  const add = (type: VertexType, name: string | undefined) => {
    if (name) out.add(vertexKey(type, ns, name));
  };
  add('serviceaccount', spec.serviceAccountName || 'default');
  for (const s of spec.imagePullSecrets ?? []) add('secret', s.name);
  for (const c of [...(spec.initContainers ?? []), ...spec.containers, ...(spec.ephemeralContainers ?? [])]) {
    for (const e of c.envFrom ?? []) {
      add('secret', e.secretRef?.name);
      add('configmap', e.configMapRef?.name);
    }
    for (const e of c.env ?? []) {
      add('secret', e.valueFrom?.secretKeyRef?.name);
      add('configmap', e.valueFrom?.configMapKeyRef?.name);
    }
  }
  for (const v of spec.volumes ?? []) volumeVertices(v, pod.metadata?.name ?? '', add);
  return [...out];
}

function volumeVertices(v: Volume, podName: string, add: (type: VertexType, name: string | undefined) => void): void {
  add('secret', v.secret?.secretName);
  add('configmap', v.configMap?.name);
  add('pvc', v.persistentVolumeClaim?.claimName);
  if (v.ephemeral) add('pvc', `${podName}-${v.name}`);
  for (const s of v.projected?.sources ?? []) {
    add('secret', s.secret?.name);
    add('configmap', s.configMap?.name);
  }
  for (const ref of [v.azureFile?.secretName, v.cephfs?.secretRef?.name, v.cinder?.secretRef?.name, v.flexVolume?.secretRef?.name, v.iscsi?.secretRef?.name, v.rbd?.secretRef?.name, v.scaleIO?.secretRef.name, v.storageos?.secretRef?.name, v.csi?.nodePublishSecretRef?.name]) add('secret', ref);
}
