import type { KubeObject } from '../kube-object.js';
import type { ResourceStrategy } from './resource-strategy.js';
import type { ClusterIPAllocator, NodePortAllocator } from './service-allocators.js';

type Obj = Record<string, unknown>;
interface Port extends Obj {
  port?: number;
  protocol?: string;
  nodePort?: number;
}

const specOf = (o: KubeObject) => (o.spec ??= {}) as Obj;
const portsOf = (o: KubeObject) => ((specOf(o).ports as Port[] | undefined) ?? []);
const usesNodePorts = (o: KubeObject) => ['NodePort', 'LoadBalancer'].includes(String(specOf(o).type ?? 'ClusterIP'));
const hasClusterIP = (o: KubeObject) => specOf(o).type !== 'ExternalName' && specOf(o).clusterIP !== 'None';

/**
 * Services: a ClusterIP from --service-cluster-ip-range and NodePorts from --service-node-port-range are allocated
 * on create (before validation, as upstream's REST storage does), carried over on update, and released on delete.
 */
export function serviceStrategy(ips: ClusterIPAllocator, nodePorts: NodePortAllocator, base: ResourceStrategy): ResourceStrategy {
  const release = (obj: KubeObject) => {
    const spec = specOf(obj);
    if (hasClusterIP(obj) && typeof spec.clusterIP === 'string' && spec.clusterIP !== '') ips.release(spec.clusterIP);
    for (const p of portsOf(obj)) if (p.nodePort) nodePorts.release(p.nodePort);
  };
  const allocatePorts = (obj: KubeObject, old: KubeObject | undefined) => {
    if (!usesNodePorts(obj)) return;
    const previous = old ? portsOf(old) : [];
    portsOf(obj).forEach((p, i) => {
      const kept = previous.find((q) => q.nodePort && q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
      if (p.nodePort && kept?.nodePort === p.nodePort) return;
      if (!p.nodePort && kept?.nodePort) {
        p.nodePort = kept.nodePort;
        return;
      }
      p.nodePort = nodePorts.allocate(p.nodePort, `spec.ports[${i}].nodePort`);
    });
  };
  return {
    ...base,
    prepareForCreate(obj) {
      base.prepareForCreate?.(obj);
      const spec = specOf(obj);
      try {
        if (spec.type !== 'ExternalName') {
          if (spec.clusterIP === 'None') spec.clusterIPs = ['None'];
          else {
            const ip = ips.allocate((spec.clusterIP as string | undefined) ?? (spec.clusterIPs as string[] | undefined)?.[0]);
            spec.clusterIP = ip;
            spec.clusterIPs = [ip];
          }
          spec.ipFamilies ??= ['IPv4'];
          spec.ipFamilyPolicy ??= 'SingleStack';
        }
        allocatePorts(obj, undefined);
      } catch (err) {
        release(obj);
        throw err;
      }
    },
    prepareForUpdate(obj, old) {
      base.prepareForUpdate?.(obj, old);
      const spec = specOf(obj);
      const was = specOf(old);
      for (const k of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy'] as const) {
        if ((spec[k] === undefined || spec[k] === '') && was[k] !== undefined) spec[k] = was[k];
      }
      allocatePorts(obj, old);
      const now = new Set(portsOf(obj).map((p) => p.nodePort));
      for (const p of portsOf(old)) if (p.nodePort && !now.has(p.nodePort)) nodePorts.release(p.nodePort);
    },
    afterCreateFailure: release,
    afterDelete: release,
    reserve(obj) {
      const spec = specOf(obj);
      if (hasClusterIP(obj) && typeof spec.clusterIP === 'string' && spec.clusterIP !== '') ips.reserve(spec.clusterIP);
      for (const p of portsOf(obj)) if (p.nodePort) nodePorts.reserve(p.nodePort);
    },
  };
}
