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
      for await (const c of res.body) {
        // Only a watch's body carries decoded events, and watches are streamed.
        if (!Buffer.isBuffer(c)) throw new Error(`in-process ${req.method} ${req.url}: a decoded watch event in a whole response`);
        chunks.push(c);
      }
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

/** How many requests each of `skiff server`'s components keeps in flight at once. */
export interface InProcessBudgets {
  readonly controllerManager: number;
  readonly scheduler: number;
  /** Shared by every in-process node. */
  readonly nodes: number;
}

/**
 * Splits three quarters of the API server's in-flight limit (the lower of its two, 150 of the default 200 mutating)
 * between `skiff server`'s components — half to the controller-manager, a third to the nodes, a sixth to the
 * scheduler — so that the process's own bursts (a ReplicaSet's 500 creates) wait in their client rather than being
 * refused with 429 and retried a second later. Limits of 0 (none) give the split of the defaults.
 */
export function inProcessBudgets(maxRequestsInflight: number, maxMutatingRequestsInflight: number): InProcessBudgets {
  const limits = [maxRequestsInflight, maxMutatingRequestsInflight].filter((n) => n > 0);
  const total = Math.floor(0.75 * Math.min(200, ...limits));
  const share = (part: number) => Math.max(1, Math.floor(total * part));
  return { controllerManager: share(1 / 2), scheduler: share(1 / 6), nodes: share(1 / 3) };
}

/** How a client counts its requests in flight: a budget of its own, or another client's. */
export type InflightBudget = { readonly maxInflight: number } | { readonly inflightOf: RestClient };

/** A client of the API server in this process, authenticated as `user`, with the component's User-Agent. */
export function inProcessClient(server: ApiServer, user: UserInfo, component: string, budget?: InflightBudget): RestClient {
  return new RestClient(inProcessTransport(server.inProcess(user)), { userAgent: componentUserAgent(component), ...budget });
}

/**
 * The log of a component inside `skiff server`: its lines go to stderr until the process is asked to stop, after
 * which what a component says while it winds down (events it can no longer write) is left out.
 */
export function componentLog(signal: AbortSignal): (message: string) => void {
  return (message) => {
    if (!signal.aborted) console.error(message);
  };
}
