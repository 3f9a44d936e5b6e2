import type { RestClient } from '../client/index.js';
import {
  authorizeKubeletRequest,
  ensureServingCert,
  kubeletForbiddenMessage,
  kubeletRequestAttributes,
  type KubeletGroup,
  type KubeletRequester,
  KubeletServer,
} from '../kubelet/index.js';

export interface KubeletLogEndpoint {
  server: KubeletServer;
  port: number;
  /** The group whose Pods are served (the endpoint listens before the group exists: its port goes into Node status). */
  serve(group: KubeletGroup): void;
}

/**
 * Starts a kubelet HTTPS endpoint on host:port with a self-signed certificate kept in `pkiDir`, accepting client
 * certificates of the cluster CA — each call authorized by the API server when `authorizeFor` is given, else the API
 * server's kubelet client certificate only; it serves the container logs of the group given to `serve`.
 */
export async function startKubeletLogEndpoint(o: {
  pkiDir: string;
  names: readonly string[];
  clientCaPem: string;
  host: string;
  port: number;
  /** Authorize every call with a SubjectAccessReview through this client, for this node (else: the API server's certificate only). */
  authorizeFor?: { client: RestClient; nodeName: string };
  log?: (m: string) => void;
}): Promise<KubeletLogEndpoint> {
  let group: KubeletGroup | undefined;
  const { certPem, keyPem } = await ensureServingCert(o.pkiDir, [o.host, ...o.names]);
  const by = o.authorizeFor;
  const authorize = by
    ? async (requester: KubeletRequester, method: string, path: string) => {
        const attributes = kubeletRequestAttributes(method, path, by.nodeName);
        const decision = await authorizeKubeletRequest(by.client, requester, attributes);
        if (!decision.allowed) o.log?.(`kubelet server: ${kubeletForbiddenMessage(requester, attributes)}: ${decision.reason}`);
        return { allowed: decision.allowed, message: kubeletForbiddenMessage(requester, attributes) };
      }
    : undefined;
  const server = new KubeletServer({ certPem, keyPem, clientCaPem: o.clientCaPem, findPod: (ns, name) => group?.findPod(ns, name), authorize, log: o.log });
  const port = await server.listen(o.port, o.host);
  return { server, port, serve: (g) => (group = g) };
}
