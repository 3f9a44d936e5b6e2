/** What the Deployment controller's sync may do to the world, so that its logic can be tested against a fake. */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';

export const DEPLOYMENT_GVK = { apiVersion: 'apps/v1', kind: 'Deployment' };

/** Each call is one API request (or a cache read); errors are ApiErrors. */
export interface DeploymentApi {
  createReplicaSet(rs: ReplicaSet): Promise<ReplicaSet>;
  /** PUT with the ReplicaSet's resourceVersion (a stale one is a 409). */
  updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet>;
  deleteReplicaSet(rs: ReplicaSet): Promise<void>;
  /** PUT …/status; the status subresource also writes metadata.annotations, as upstream's does. */
  updateDeploymentStatus(d: Deployment): Promise<Deployment>;
  /** The informer's copy of a ReplicaSet, read after a create answered AlreadyExists. */
  cachedReplicaSet(namespace: string, name: string): ReplicaSet | undefined;
  event(d: Deployment, type: 'Normal' | 'Warning', reason: string, message: string): void;
  now(): number;
}

/** What the worker loop should do after a sync: look again after a delay, or rate-limited. */
export interface SyncOutcome {
  requeueAfterMs?: number;
  requeue?: boolean;
}
