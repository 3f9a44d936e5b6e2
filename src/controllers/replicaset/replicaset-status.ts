/**
 * The status a ReplicaSet reports for its pods (upstream's calculateStatus and the pod readiness
 * helpers of pkg/api/v1/pod), and when the controller looks again because of minReadySeconds.
 */
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { LabelSelector } from '../../api/index.js';

/** The condition type the controller sets when it fails to create or delete pods. */
export const ReplicaSetReplicaFailure = 'ReplicaFailure';

/** 0001-01-01T00:00:00Z, Go's zero time. */
const GO_ZERO_TIME = -62135596800000;

/**
 * Milliseconds since the epoch of an RFC 3339 timestamp; undefined for a zero time (absent, null,
 * empty, unparsable or Go's 0001-01-01T00:00:00Z), which upstream's IsZero treats specially.
 */
export function timestampMs(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) || ms === GO_ZERO_TIME ? undefined : ms;
}

/** `ms` as metav1.Time writes it: RFC 3339 in UTC, whole seconds. */
export function formatTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The pod's first condition of type Ready, if any (podutil.GetPodReadyCondition). */
export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** True when the pod's Ready condition has status "True" (podutil.IsPodReady). */
export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/**
 * True when the pod is ready and either minReadySeconds is 0 or its Ready condition's
 * lastTransitionTime plus minReadySeconds is strictly before `now` (ms) (podutil.IsPodAvailable).
 * A ready pod without a lastTransitionTime is available only when minReadySeconds is 0.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const since = timestampMs(podReadyCondition(pod)?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What calculateStatus asks of a Pod (PodFacts answers from memory). */
export interface PodReadiness {
  /** Whether the selector matches the Pod's labels. */
  matches(selector: LabelSelector): boolean;
  ready(): boolean;
  available(minReadySeconds: number, now: number): boolean;
}

/** PodReadiness read straight from the Pod. */
class PodReadinessOf implements PodReadiness {
  constructor(private readonly pod: Pod) {}
  matches(selector: LabelSelector): boolean {
    return selector.matches(this.pod.metadata?.labels);
  }
  ready(): boolean {
    return isPodReady(this.pod);
  }
  available(minReadySeconds: number, now: number): boolean {
    return isPodAvailable(this.pod, minReadySeconds, now);
  }
}

const COUNTED = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration', 'conditions'];

/**
 * The status for `rs` given the active pods it owns (upstream calculateStatus followed by the
 * observedGeneration that updateReplicaSetStatus records): replicas = pods; fullyLabeledReplicas =
 * pods whose labels include all of the template's labels; readyReplicas; availableReplicas (ready for
 * more than minReadySeconds at `now`, ms); observedGeneration = metadata.generation. When
 * `manageReplicasError` is set (not undefined/null) and there is no ReplicaFailure condition yet,
 * one is added (status True, reason FailedCreate when pods were missing, FailedDelete when there
 * were too many, none when the count was right, message = the error's message, lastTransitionTime = now); an existing one is kept
 * as it is. Without an error the condition is removed. Other status fields are carried over. Keys
 * are in upstream's order; zero counts other than replicas and empty conditions are left out, as
 * upstream's JSON omits them.
 */
export function calculateStatus(
  rs: ReplicaSet,
  filteredPods: readonly Pod[],
  manageReplicasError: unknown,
  now: number,
  readinessOf: (pod: Pod) => PodReadiness = (pod) => new PodReadinessOf(pod),
): ReplicaSetStatus {
  const templateLabels = LabelSelector.fromSet(rs.spec?.template?.metadata?.labels);
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of filteredPods) {
    const r = readinessOf(pod);
    if (r.matches(templateLabels)) fullyLabeled++;
    if (r.ready()) {
      ready++;
      if (r.available(minReadySeconds, now)) available++;
    }
  }

  let conditions = [...(rs.status?.conditions ?? [])];
  const failed = manageReplicasError !== undefined && manageReplicasError !== null;
  const hasFailure = conditions.some((c) => c.type === ReplicaSetReplicaFailure);
  if (failed && !hasFailure) {
    const diff = filteredPods.length - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : undefined;
    const condition: ReplicaSetCondition = { type: ReplicaSetReplicaFailure, status: 'True', lastTransitionTime: formatTimestamp(now) };
    if (reason !== undefined) condition.reason = reason;
    condition.message = errorMessage(manageReplicasError);
    conditions.push(condition);
  } else if (!failed && hasFailure) {
    conditions = conditions.filter((c) => c.type !== ReplicaSetReplicaFailure);
  }

  const status: ReplicaSetStatus = { replicas: filteredPods.length };
  if (fullyLabeled !== 0) status.fullyLabeledReplicas = fullyLabeled;
  if (ready !== 0) status.readyReplicas = ready;
  if (available !== 0) status.availableReplicas = available;
  const generation = rs.metadata?.generation ?? 0;
  if (generation !== 0) status.observedGeneration = generation;
  if (conditions.length > 0) status.conditions = conditions;
  for (const [key, value] of Object.entries(rs.status ?? {})) {
    if (!COUNTED.includes(key)) (status as unknown as Record<string, unknown>)[key] = value;
  }
  return status;
}

function conditionsEqual(a: readonly ReplicaSetCondition[] | undefined, b: readonly ReplicaSetCondition[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  return x.every((c, i) => {
    const d = y[i];
    return (
      d !== undefined &&
      c.type === d.type &&
      c.status === d.status &&
      (c.lastTransitionTime ?? '') === (d.lastTransitionTime ?? '') &&
      (c.reason ?? '') === (d.reason ?? '') &&
      (c.message ?? '') === (d.message ?? '')
    );
  });
}

/**
 * True when writing `next` over `current` would change nothing upstream looks at (the no-op check
 * of updateReplicaSetStatus): the four counts, observedGeneration (absent = 0) and the conditions in
 * order. Compare the ReplicaSet's current status with calculateStatus' result.
 */
export function statusEqual(current: ReplicaSetStatus | undefined, next: ReplicaSetStatus | undefined): boolean {
  const a = current ?? { replicas: 0 };
  const b = next ?? { replicas: 0 };
  return (
    (a.replicas ?? 0) === (b.replicas ?? 0) &&
    (a.fullyLabeledReplicas ?? 0) === (b.fullyLabeledReplicas ?? 0) &&
    (a.readyReplicas ?? 0) === (b.readyReplicas ?? 0) &&
    (a.availableReplicas ?? 0) === (b.availableReplicas ?? 0) &&
    (a.observedGeneration ?? 0) === (b.observedGeneration ?? 0) &&
    conditionsEqual(a.conditions, b.conditions)
  );
}

/**
 * How long (ms) after a successful status write the sync asks to see `rs` again, or undefined for
 * no requeue: upstream's last line of defence against clock skew, minReadySeconds when there was no
 * manage error, minReadySeconds > 0, every desired replica is ready and not every one is available.
 * `rs` is the ReplicaSet as the status write returned it.
 */
export function nextRequeueAfter(rs: ReplicaSet, manageReplicasError: unknown): number | undefined {
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  if (manageReplicasError !== undefined && manageReplicasError !== null) return undefined;
  if (minReadySeconds <= 0) return undefined;
  const desired = rs.spec?.replicas ?? 1;
  const ready = rs.status?.readyReplicas ?? 0;
  const available = rs.status?.availableReplicas ?? 0;
  if (ready !== desired || available === desired) return undefined;
  return minReadySeconds * 1000;
}

/**
 * How long (ms) after a pod update the owning ReplicaSet is enqueued again for its availability check,
 * or undefined: when the pod became ready in this update and minReadySeconds > 0, minReadySeconds
 * plus one second (upstream's updatePod).
 */
export function podReadyRequeueAfter(rs: ReplicaSet, oldPod: Pod, newPod: Pod): number | undefined {
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  if (minReadySeconds <= 0 || isPodReady(oldPod) || !isPodReady(newPod)) return undefined;
  return minReadySeconds * 1000 + 1000;
}
