import { ApiError } from '../../api/index.js';
import type { ResourceStore } from './resource-store.js';

/**
 * The `default/kubernetes` Service (the first address of the Service range, port 443) and its Endpoints, which
 * point at this API server, as upstream's controlplane reconciler keeps them.
 */
export async function ensureKubernetesService(
  stores: ReadonlyMap<string, ResourceStore>,
  clusterIP: string,
  address: string,
  port: number,
  log: (message: string) => void,
): Promise<void> {
  const services = stores.get('/v1/services')!;
  const endpoints = stores.get('/v1/endpoints')!;
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  const exists = await services.get('default', 'kubernetes').then(
    () => true,
    (err: unknown) => {
      if (err instanceof ApiError && err.status.code === 404) return false;
      throw err;
    },
  );
  if (!exists) {
    await services.create('default', {
      metadata: { name: 'kubernetes', labels },
      spec: { type: 'ClusterIP', clusterIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }], sessionAffinity: 'None' },
    });
  } else {
    await services.guaranteedUpdate('default', 'kubernetes', (svc) => {
      const spec = (svc.spec ?? {}) as { ports?: { targetPort?: number | string }[] };
      for (const p of spec.ports ?? []) p.targetPort = port;
      return svc;
    });
  }
  // Endpoints may not hold loopback addresses; upstream's reconciler then logs and leaves them out, and so do we.
  if (/^127\./.test(address) || address === '::1') {
    log(`not writing the Endpoints of default/kubernetes: the advertise address ${address} is a loopback address`);
    return;
  }
  const subsets = [{ addresses: [{ ip: address }], ports: [{ name: 'https', port, protocol: 'TCP' }] }];
  try {
    await endpoints.create('default', { metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets });
  } catch (err) {
    if (!(err instanceof ApiError && err.status.code === 409)) throw err;
    await endpoints.guaranteedUpdate('default', 'kubernetes', (ep) => ({ ...ep, subsets }));
  }
}
