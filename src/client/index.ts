// The client side of the API: transports (HTTPS/HTTP2, or any other the composition root provides), a typed REST
// client whose errors are ApiErrors, watches as async iterables, informers (reflector + indexed cache + handlers),
// work queues, leader election and an event recorder. It never imports the server.
export type { DecodedWatchEvent, Transport, TransportRequest, TransportResponse, TransportStream } from './transport.js';
export { Http2Transport, type Http2TransportOptions } from './http2-transport.js';
export { loadClientConfig, type ClientConfig } from './client-config.js';
export {
  RestClient,
  ResourceClient,
  errorFromResponse,
  type DeleteOptions,
  type KubeObject,
  type ListOptions,
  type ObjectList,
  type PatchOptions,
  type PatchType,
  type RequestRateLimiter,
  type ResourceType,
  type RestClientOptions,
  type WatchOptions,
  type WriteOptions,
} from './rest-client.js';
export { decodeWatchEvents, type WatchEvent, type WatchEventType } from './watch-decoder.js';
export {
  Indexer,
  objectKey,
  splitObjectKey,
  namespaceIndexFunc,
  controllerUIDIndexFunc,
  NAMESPACE_INDEX,
  CONTROLLER_UID_INDEX,
  type IndexFunc,
} from './indexer.js';
export { Reflector, type ListerWatcher, type ReflectorOptions, type ReflectorSink } from './reflector.js';
export { SharedInformer, type EventHandler, type SharedInformerOptions } from './shared-informer.js';
export { InformerFactory, listerWatcher, type InformerFactoryOptions, type InformerScope } from './informer-factory.js';
export { TokenBucket, type TokenBucketOptions } from './token-bucket.js';
export {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
  type ControllerRateLimiterOptions,
  type RateLimiter,
} from './rate-limiter.js';
export { WorkQueue, type WorkQueueOptions } from './work-queue.js';
export { LeaderElector, formatMicroTime, type LeaderElectorOptions, type LeaseClient } from './leader-election.js';
export { EventRecorder, type EventRecorderOptions, type EventSink, type EventSubject, type EventType } from './event-recorder.js';
export { discoverResources, type DiscoveredResource } from './discovery.js';
export { runLeaderElected, leaseClientFor, defaultLeaderIdentity, type LeaderElectedRunOptions } from './leader-election-runner.js';
