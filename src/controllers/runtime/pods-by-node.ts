import type { Pod } from 'kubernetes-types/core/v1.js';
import type { SharedInformer } from '../../client/index.js';

/** The Pod index by spec.nodeName that several controllers share (upstream's "spec.nodeName" indexer). */
export const POD_NODE_NAME_INDEX = 'spec.nodeName';
const indexed = new WeakSet<object>();

/** Adds the spec.nodeName index to a Pod informer once, however many controllers ask. */
export function withPodNodeIndex(informer: SharedInformer<Pod>): SharedInformer<Pod> {
  if (!indexed.has(informer)) {
    informer.addIndexers({ [POD_NODE_NAME_INDEX]: (pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []) });
    indexed.add(informer);
  }
  return informer;
}

/** The Pods bound to a node, from an informer indexed with withPodNodeIndex. */
export function podsOnNode(informer: SharedInformer<Pod>, nodeName: string): Pod[] {
  return informer.store.byIndex(POD_NODE_NAME_INDEX, nodeName);
}
