import { ensureServingCert, type KubeletGroup, KubeletServer } from '../kubelet/index.js';

export interface KubeletLogEndpoint {
  server: KubeletServer;
  port: number;
  /** The group whose Pods are served (the endpoint listens before the group exists: its port goes into Node status). */
  serve(group: KubeletGroup): void;
}

/**
 * Starts a kubelet HTTPS endpoint on host:port with a self-signed certificate kept in `pkiDir`, accepting the
 * cluster CA's API server client certificate only; it serves the container logs of the group given to `serve`.
 */
export async function startKubeletLogEndpoint(o: { pkiDir: string; names: readonly string[]; clientCaPem: string; host: string; port: number; log?: (m: string) => void }): Promise<KubeletLogEndpoint> {
  let group: KubeletGroup | undefined;
  const { certPem, keyPem } = await ensureServingCert(o.pkiDir, [o.host, ...o.names]);
  const server = new KubeletServer({ certPem, keyPem, clientCaPem: o.clientCaPem, findPod: (ns, name) => group?.findPod(ns, name), log: o.log });
  const port = await server.listen(o.port, o.host);
  return { server, port, serve: (g) => (group = g) };
}
