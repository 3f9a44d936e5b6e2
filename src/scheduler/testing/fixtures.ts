// Builders for Nodes and Pods in scheduler unit tests.
import type { Container, Node, Pod, PodSpec } from 'kubernetes-types/core/v1.js';

export function makeNode(name: string, opts: { cpu?: string; memory?: string; pods?: string; labels?: Record<string, string>; taints?: Node['spec'] extends infer S ? (S extends { taints?: infer T } ? T : never) : never; unschedulable?: boolean } = {}): Node {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
    spec: { taints: opts.taints, unschedulable: opts.unschedulable },
    status: { allocatable: { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: opts.pods ?? '110' } },
  };
}

export function makePod(name: string, opts: { cpu?: string; memory?: string; nodeName?: string; priority?: number; spec?: Partial<PodSpec>; labels?: Record<string, string>; namespace?: string } = {}): Pod {
  const requests: Record<string, string> = {};
  if (opts.cpu) requests.cpu = opts.cpu;
  if (opts.memory) requests.memory = opts.memory;
  const container: Container = { name: 'c', image: 'nginx', resources: Object.keys(requests).length ? { requests } : undefined };
  return {
    metadata: { name, namespace: opts.namespace ?? 'default', uid: `uid-${name}`, labels: opts.labels },
    spec: { containers: [container], schedulerName: 'default-scheduler', nodeName: opts.nodeName, priority: opts.priority, ...opts.spec },
  };
}
