// The scheduler (kube-scheduler): an informer-fed cache of Nodes and Pods (assumed Pods included), a scheduling queue
// (active, backoff, unschedulable), a framework of plugin interfaces with upstream's default plugins, the scheduling
// cycle and the asynchronous binding cycle, behind optional Lease leader election. It reaches the API through client/.
export { Scheduler, type SchedulerOptions, type SchedulerProfile } from './scheduler.js';
export { SchedulerServer, type SchedulerServerOptions } from './scheduler-server.js';
export type { SchedulerMetrics } from './metrics.js';
export { PrometheusSchedulerMetrics } from './prometheus-metrics.js';
