// The controllers of kube-controller-manager, each a level-based reconcile over keys from a work queue fed by shared
// informers, and the manager that runs them behind leader election. They reach the API only through src/client.
export { ControllerManager, enabledControllers, KNOWN_CONTROLLERS, type ControllerManagerOptions } from './controller-manager.js';
export { ReplicaSetController, type ReplicaSetControllerOptions } from './replicaset/replicaset-controller.js';
export { GarbageCollector, type GarbageCollectorOptions } from './garbage-collector/garbage-collector.js';
