import type { ProfilePlugin } from '../framework/framework.js';
import { NodeResourcesBalancedAllocation } from './balanced-allocation/balanced-allocation.js';
import { DefaultBinder } from './default-binder/default-binder.js';
import { DefaultPreemption } from './default-preemption/default-preemption.js';
import { InterPodAffinity } from './inter-pod-affinity/inter-pod-affinity.js';
import { NodeAffinity } from './node-affinity/node-affinity.js';
import { NodeName } from './node-name/node-name.js';
import { NodePorts } from './node-ports/node-ports.js';
import { NodeResourcesFit } from './node-resources-fit/node-resources-fit.js';
import { NodeUnschedulable } from './node-unschedulable/node-unschedulable.js';
import { PodTopologySpread } from './pod-topology-spread/pod-topology-spread.js';
import { PrioritySort } from './priority-sort/priority-sort.js';
import { TaintToleration } from './taint-toleration/taint-toleration.js';

/**
 * upstream's default profile, in its order (the order Filter plugins run in decides which reason a node reports) and
 * with its Score weights: TaintToleration 3, NodeAffinity 2, PodTopologySpread 2, InterPodAffinity 2, NodeResourcesFit 1,
 * NodeResourcesBalancedAllocation 1.
 */
export function defaultPlugins(): ProfilePlugin[] {
  return [
    { factory: () => new PrioritySort() },
    { factory: () => new NodeUnschedulable() },
    { factory: () => new NodeName() },
    { factory: () => new TaintToleration(), weight: 3 },
    { factory: () => new NodeAffinity(), weight: 2 },
    { factory: () => new NodePorts() },
    { factory: () => new NodeResourcesFit(), weight: 1 },
    { factory: (h) => new PodTopologySpread(h), weight: 2 },
    { factory: (h) => new InterPodAffinity(h), weight: 2 },
    { factory: (h) => new DefaultPreemption(h) },
    { factory: () => new NodeResourcesBalancedAllocation(), weight: 1 },
    { factory: (h) => new DefaultBinder(h) },
  ];
}
