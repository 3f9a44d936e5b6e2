// The kubelet: registers its Node and keeps its Lease and status fresh, runs the Pods bound to it through a
// container runtime (one serialized worker per Pod), and reports their status. It talks to the API only through
// client/.
export * from './runtime/index.js';
