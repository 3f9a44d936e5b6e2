/**
 * Resizing one ReplicaSet of a Deployment (upstream's scaleReplicaSetAndRecordEvent and scaleReplicaSet): a PUT of
 * spec.replicas with the desired-replicas and max-replicas annotations, and a ScalingReplicaSet event when the size
 * changed.
 */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { replicasAnnotationsNeedUpdate, setReplicasAnnotations } from './annotations.js';
import type { DeploymentApi } from './deployment-api.js';
import { desiredReplicas, maxSurge } from './fenceposts.js';
import { specReplicas } from './replica-sets.js';

export class ReplicaSetScaler {
  constructor(private readonly api: DeploymentApi) {}

  /** Resizes `rs` to `newScale` unless it has that size already; [whether it was resized, the ReplicaSet now]. */
  async scaleAndRecordEvent(rs: ReplicaSet, newScale: number, d: Deployment): Promise<[boolean, ReplicaSet]> {
    if (specReplicas(rs) === newScale) return [false, rs];
    return this.scale(rs, newScale, d, specReplicas(rs) < newScale ? 'up' : 'down');
  }

  /** Writes the size and the replicas annotations when either differs; the event says `operation` (up/down). */
  async scale(rs: ReplicaSet, newScale: number, d: Deployment, operation: string): Promise<[boolean, ReplicaSet]> {
    const sizeNeedsUpdate = specReplicas(rs) !== newScale;
    const max = desiredReplicas(d) + maxSurge(d);
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desiredReplicas(d), max)) return [false, rs];
    const oldScale = specReplicas(rs);
    const copy = structuredClone(rs);
    copy.spec = { ...copy.spec!, replicas: newScale };
    setReplicasAnnotations(copy, desiredReplicas(d), max);
    const updated = await this.api.updateReplicaSet(copy);
    if (sizeNeedsUpdate) this.api.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${updated.metadata?.name ?? ''} from ${oldScale} to ${newScale}`);
    return [sizeNeedsUpdate, updated];
  }
}
