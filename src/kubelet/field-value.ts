import type { Pod } from 'kubernetes-types/core/v1.js';

/**
 * The value of a downward API fieldPath (env fieldRef, downwardAPI volume items): metadata.name, namespace, uid,
 * labels['k'], annotations['k'], spec.nodeName, spec.serviceAccountName, status.hostIP(s), status.podIP(s); undefined
 * for any other path.
 */
export function fieldValue(pod: Pod, path: string, ctx: { hostIP: string; podIPs: readonly string[] }): string | undefined {
  const meta = pod.metadata ?? {};
  const keyed = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (keyed) return (keyed[1] === 'labels' ? meta.labels : meta.annotations)?.[keyed[2]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return ctx.hostIP;
    case 'status.hostIPs':
      return ctx.hostIP;
    case 'status.podIP':
      return ctx.podIPs[0] ?? '';
    case 'status.podIPs':
      return ctx.podIPs.join(',');
    default:
      return undefined;
  }
}
