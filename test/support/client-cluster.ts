// A real `skiff apiserver` process (on SQLite, or on a fresh etcd) with a RestClient over HTTPS as its admin.
import { Http2Transport, loadClientConfig, RestClient } from '../../src/client/index.js';
import { startEtcd, type EtcdServer } from './etcd-server.js';
import { startApiserver, type SkiffProcess } from './skiff-process.js';

export interface ClientCluster {
  readonly server: SkiffProcess;
  readonly etcd?: EtcdServer;
  readonly client: RestClient;
  /** Closes the client, then stops the API server and etcd. */
  stop(): Promise<void>;
}

export async function startClientCluster(backend: 'sqlite' | 'etcd'): Promise<ClientCluster> {
  const etcd = backend === 'etcd' ? await startEtcd() : undefined;
  const server = await startApiserver({ storage: backend, etcdEndpoint: etcd?.endpoint });
  const transport = new Http2Transport(loadClientConfig(server.kubeconfig));
  return {
    server,
    etcd,
    client: new RestClient(transport),
    async stop() {
      transport.close();
      await server.stop();
      await etcd?.stop();
    },
  };
}
