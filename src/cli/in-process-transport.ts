import type { ApiServer, InProcessRequest, InProcessResponse, UserInfo } from '../apiserver/index.js';
import { RestClient, type Transport } from '../client/index.js';
import { componentUserAgent } from './user-agent.js';

/** A client Transport over the API server's in-process entry (ApiServer.inProcess), for components in `skiff server`. */
export function inProcessTransport(exchange: (req: InProcessRequest) => Promise<InProcessResponse>): Transport {
  let closed = false;
  const check = () => {
    if (closed) throw new Error('transport closed');
  };
  return {
    async request(req) {
      check();
      const res = await exchange(req);
      const chunks: Buffer[] = [];
      for await (const c of res.body) chunks.push(c);
      return { status: res.status, headers: res.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) };
    },
    async stream(req) {
      check();
      return exchange(req);
    },
    close() {
      closed = true;
    },
  };
}

/** A client of the API server in this process, authenticated as `user`, with the component's User-Agent. */
export function inProcessClient(server: ApiServer, user: UserInfo, component: string, inflightOf?: RestClient): RestClient {
  return new RestClient(inProcessTransport(server.inProcess(user)), { userAgent: componentUserAgent(component), inflightOf });
}
