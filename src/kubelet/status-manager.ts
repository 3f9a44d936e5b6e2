import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { isConflict, isNotFound } from '../api/index.js';
import type { ResourceClient } from '../client/index.js';
import { type Clock, realClock } from '../lib/index.js';
import { canonicallyEqual } from './node-status.js';

interface Entry {
  namespace: string;
  name: string;
  uid: string;
  desiredStatus: PodStatus | undefined;
  /** The status last written (or, at first, the one the API holds): compared with canonicallyEqual. */
  sent: PodStatus | undefined;
  sending: Promise<void> | undefined;
  /** Cancels the write of a held status (see holdPodStatus). */
  cancelHold: (() => void) | undefined;
}

/** How long a held status waits for the one that supersedes it before it is written anyway. */
const HOLD_MS = 500;

/**
 * The kubelet's status manager: keeps the status each Pod should have and patches `pods/<name>/status` only when it
 * differs from the one last written (or the one the API holds). Writes for one Pod are serialized and coalesced:
 * while one is in flight only the newest status waits. Every patch carries the Pod's uid, so a Pod recreated under
 * the same name is never written to.
 */
export class StatusManager {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly pods: ResourceClient<Pod>,
    private readonly log: (message: string) => void = () => {},
    private readonly clock: Clock = realClock,
  ) {}

  /** Records the status `pod` should have; writes it if it is new. Resolves when that write finished. */
  setPodStatus(pod: Pod, status: PodStatus): Promise<void> {
    const e = this.record(pod, status);
    e.cancelHold?.();
    e.cancelHold = undefined;
    if (this.isSent(e)) return e.sending ?? Promise.resolve();
    if (!e.sending) e.sending = this.flush(e);
    return e.sending;
  }

  /**
   * Records a status that is about to be superseded: the sync that produced it acted (started a container) and
   * runs again at once to report the effect. It is written only if no newer status is set within HOLD_MS, so a
   * Pod that starts at once gets one write (its Running status) instead of two, and a slow next pass still shows
   * this one. Upstream's status manager coalesces the same way: it writes the newest status when it gets to a Pod.
   */
  holdPodStatus(pod: Pod, status: PodStatus): void {
    const e = this.record(pod, status);
    if (this.isSent(e) || e.cancelHold) return;
    e.cancelHold = this.clock.setTimer(() => {
      e.cancelHold = undefined;
      if (this.isSent(e) || e.sending || this.entries.get(e.uid) !== e) return;
      e.sending = this.flush(e).catch(() => {});
    }, HOLD_MS);
  }

  private record(pod: Pod, status: PodStatus): Entry {
    const uid = pod.metadata?.uid ?? '';
    let e = this.entries.get(uid);
    if (!e) {
      e = { namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid, desiredStatus: undefined, sent: pod.status, sending: undefined, cancelHold: undefined };
      this.entries.set(uid, e);
    }
    e.desiredStatus = status;
    return e;
  }

  /** The status last asked for. */
  getPodStatus(uid: string): PodStatus | undefined {
    return this.entries.get(uid)?.desiredStatus;
  }

  /** The final step of a graceful deletion: the Pod's last status is written, then the Pod is deleted with grace 0. */
  async deletePod(pod: Pod): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    await this.entries.get(uid)?.sending;
    try {
      await this.pods.delete(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  forget(uid: string): void {
    this.entries.get(uid)?.cancelHold?.();
    this.entries.delete(uid);
  }

  /** The status asked for is the one last written (nulls, which the server drops, and key order aside). */
  private isSent(e: Entry): boolean {
    return e.sent === e.desiredStatus || canonicallyEqual(e.desiredStatus, e.sent);
  }

  private async flush(e: Entry): Promise<void> {
    try {
      for (let i = 0; i < 10 && !this.isSent(e) && this.entries.get(e.uid) === e; i++) {
        const desired = e.desiredStatus;
        try {
          await this.pods.patch(e.namespace, e.name, 'merge', { metadata: { uid: e.uid }, status: desired }, { subresource: 'status' });
          e.sent = desired;
        } catch (err) {
          if (isNotFound(err) || isConflict(err)) {
            e.sent = desired;
            return;
          }
          this.log(`pod ${e.namespace}/${e.name}: status update failed: ${err instanceof Error ? err.message : String(err)}`);
          throw err;
        }
      }
    } finally {
      e.sending = undefined;
    }
  }
}
