// The container runtime interface (CRI-shaped) the kubelet drives, and the runtimes that implement it.
export * from './runtime.js';
export { SimulatedRuntime, type SimulatedRuntimeOptions, SIMULATION_ANNOTATIONS } from './simulated/simulated-runtime.js';
export { normalizeImage } from './image-name.js';
export { ProcessRuntime, type ProcessRuntimeOptions } from './process/process-runtime.js';
export { parseCriLogLine, appendCriLogLine, CriLogWriter, type CriLogLine, type LogStream } from './cri-log.js';
export { CriRuntime, type CriRuntimeOptions, type RuntimeCondition } from './cri/cri-runtime.js';
export { CriClient, CriCallError } from './cri/cri-client.js';
