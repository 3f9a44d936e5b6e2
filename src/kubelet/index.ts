// The kubelet: registers its Node and keeps its Lease and status fresh, runs the Pods bound to it through a
// container runtime (one serialized worker per Pod), and reports their status. It talks to the API only through
// client/.
export * from './runtime/index.js';
export { Kubelet, type KubeletOptions } from './kubelet.js';
export { KubeletGroup, type KubeletGroupOptions } from './kubelet-group.js';
export { type NodeConfig, DEFAULT_CAPACITY, parseCapacity, parseNodeLabels, parseTaints, nodeNameHash } from './node-config.js';
export { PodWorkers, type PodLifecycle, type PodWorkerState } from './pod-workers.js';
export { StatusManager } from './status-manager.js';
export { ContainerBackoff } from './container-backoff.js';
export { authorizeKubeletRequest, kubeletForbiddenMessage, kubeletRequestAttributes, type KubeletRequester, type KubeletResourceAttributes } from './kubelet-authorizer.js';
export { KubeletServer, APISERVER_KUBELET_CLIENT, type KubeletServerOptions, type ServedPod } from './server/kubelet-server.js';
export { ensureServingCert } from './server/serving-cert.js';
export { containerEnv, expandEnv, ContainerConfigError, type EnvSources, type EnvContext } from './container-env.js';
