import type { Pod } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from '../../api/index.js';
import { getControllerOf } from '../runtime/controller-ref.js';
import { isPodActive } from './pods-to-delete.js';
import { isPodReady, podReadyCondition, timestampMs, type PodReadiness } from './replicaset-status.js';

/**
 * What a ReplicaSet sync reads of one version of a Pod, worked out at most once. A sync walks every Pod of its
 * ReplicaSet and every Pod change triggers one, so with 10,000 Pods the same unchanged objects are read thousands of
 * times. Informer objects are replaced on every change and never changed in place, so a version's facts stay true.
 */
export class PodFacts implements PodReadiness {
  readonly active: boolean;
  readonly controllerUid: string | undefined;
  private readonly isReady: boolean;
  private readonly readySinceMs: number | undefined;
  /** The last selector (by its canonical string) the labels were matched against, and the answer; two slots. */
  private keys: [string, string] = ['', ''];
  private answers: [boolean, boolean] = [false, false];
  private next = 0;

  constructor(private readonly pod: Pod) {
    this.active = isPodActive(pod);
    this.controllerUid = getControllerOf(pod)?.uid;
    this.isReady = isPodReady(pod);
    this.readySinceMs = this.isReady ? timestampMs(podReadyCondition(pod)?.lastTransitionTime) : undefined;
  }

  matches(selector: LabelSelector): boolean {
    const key = selector.toString();
    for (let i = 0; i < 2; i++) if (this.keys[i] === key && key !== '') return this.answers[i]!;
    const answer = selector.matches(this.pod.metadata?.labels);
    if (key !== '') {
      this.keys[this.next] = key;
      this.answers[this.next] = answer;
      this.next = 1 - this.next;
    }
    return answer;
  }

  ready(): boolean {
    return this.isReady;
  }

  available(minReadySeconds: number, now: number): boolean {
    if (!this.isReady) return false;
    if (minReadySeconds === 0) return true;
    return this.readySinceMs !== undefined && this.readySinceMs + minReadySeconds * 1000 < now;
  }
}

/** Facts per Pod version; an object the cache no longer holds is forgotten with it. */
export class PodFactsCache {
  private readonly facts = new WeakMap<Pod, PodFacts>();

  of(pod: Pod): PodFacts {
    let f = this.facts.get(pod);
    if (f === undefined) {
      f = new PodFacts(pod);
      this.facts.set(pod, f);
    }
    return f;
  }
}
