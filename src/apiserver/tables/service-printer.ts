import type { Service, ServicePort } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../kube-object.js';
import { formatLabels } from './cell-format.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { timeSince } from './human-duration.js';
import type { PrintedRow, TablePrinter } from './table-types.js';

const COLUMNS = [
  nameColumn(),
  column(
    'Type',
    'string',
    'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is "None", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. "NodePort" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. "LoadBalancer" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. "ExternalName" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
  ),
  column(
    'Cluster-IP',
    'string',
    'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are "None", empty string (""), or a valid IP address. Setting this to "None" makes a "headless service" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
  ),
  column(
    'External-IP',
    'string',
    'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.',
  ),
  column(
    'Port(s)',
    'string',
    'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
  ),
  ageColumn(),
  column(
    'Selector',
    'string',
    'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/',
    1,
  ),
];

/** loadBalancerStatusStringer as the server calls it (always wide, so never clipped): sorted, de-duplicated. */
function loadBalancerIngress(svc: Service): string[] {
  const found = new Set<string>();
  for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
    if (ing.ip) found.add(ing.ip);
    else if (ing.hostname) found.add(ing.hostname);
  }
  return [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function externalIP(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type ?? '') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = loadBalancerIngress(svc);
      if (externalIPs.length > 0) return [...ingress, ...externalIPs].join(',');
      return ingress.length > 0 ? ingress.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function portString(ports: readonly ServicePort[] | undefined): string {
  const pieces = (ports ?? []).map((p) =>
    p.nodePort !== undefined && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`,
  );
  return pieces.length === 0 ? '<none>' : pieces.join(',');
}

/** Upstream's Service printer. The cluster IP is v1's clusterIP (authoritative over clusterIPs, as conversion has it). */
export const servicePrinter: TablePrinter = {
  columns: COLUMNS,
  print(obj: KubeObject, now: number): PrintedRow {
    const svc = obj as Service;
    return {
      cells: [
        svc.metadata?.name ?? '',
        svc.spec?.type ?? '',
        svc.spec?.clusterIP || svc.spec?.clusterIPs?.[0] || '<none>',
        externalIP(svc),
        portString(svc.spec?.ports),
        timeSince(svc.metadata?.creationTimestamp, now),
        formatLabels(svc.spec?.selector),
      ],
    };
  },
};
