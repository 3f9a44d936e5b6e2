import type { Pod } from 'kubernetes-types/core/v1.js';
import { keyCoordinates, type ResourceDefinition } from '../registry/resource-definition.js';
import type { Cacher } from '../watch-cache/cacher.js';
import type { NodeGraph } from './node-graph.js';

/**
 * Keeps the node authorizer's graph current from the Pods' watch cache (as upstream's graph populator does from a
 * Pod informer): the current Pods first, then every change; when the cache relists (and closes its watchers) the graph
 * is rebuilt. Runs until the signal aborts.
 */
export async function feedNodeGraph(
  store: { readonly def: Pick<ResourceDefinition, 'keyPrefix' | 'namespaced'>; readonly cacher: Cacher },
  graph: NodeGraph,
  signal: AbortSignal,
  onError?: (err: unknown) => void,
): Promise<void> {
  const pods = store.cacher;
  await pods.whenReady();
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      const watcher = await pods.watch({}, { initialState: true });
      const stop = () => watcher.close();
      signal.addEventListener('abort', stop, { once: true });
      graph.clear();
      try {
        for await (const msg of watcher) {
          if (msg.type === 'BOOKMARK') continue;
          const pod = msg.object;
          // Only bound Pods are in the graph: a Pod whose text has no nodeName key is looked at without decoding it.
          const at = msg.type === 'DELETED' || !pod.json().includes('"nodeName"') ? keyCoordinates(store.def, pod.key) : undefined;
          if (at !== undefined) graph.forgetPod(`${at.namespace}/${at.name}`);
          else if (msg.type === 'DELETED') graph.deletePod(pod.object as Pod);
          else graph.setPod(pod.object as Pod);
        }
      } finally {
        signal.removeEventListener('abort', stop);
      }
    } catch (err) {
      if (signal.aborted) return;
      onError?.(err);
    }
    if (!signal.aborted) await new Promise((r) => setTimeout(r, Math.min(1000, 10 * 2 ** Math.min(attempt, 7))).unref());
  }
}
