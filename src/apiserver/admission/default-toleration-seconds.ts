import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';
import type { AdmissionAttributes, MutatingAdmissionPlugin } from './admission.js';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

export interface DefaultTolerationSecondsOptions {
  /** --default-not-ready-toleration-seconds (300). */
  readonly notReadySeconds?: number;
  /** --default-unreachable-toleration-seconds (300). */
  readonly unreachableSeconds?: number;
}

/**
 * upstream's DefaultTolerationSeconds admission plugin: a Pod that does not tolerate the NoExecute taints
 * node.kubernetes.io/not-ready and node.kubernetes.io/unreachable (a toleration with that key or no key, and effect
 * NoExecute or none) gets a toleration of each, `operator: Exists`, for the configured number of seconds — so Pods
 * are evicted from a failed node after five minutes by default rather than at once.
 */
export function defaultTolerationSeconds(opts: DefaultTolerationSecondsOptions = {}): MutatingAdmissionPlugin {
  const notReady = opts.notReadySeconds ?? 300;
  const unreachable = opts.unreachableSeconds ?? 300;
  return {
    name: 'DefaultTolerationSeconds',
    admit(attrs: AdmissionAttributes) {
      if (attrs.group !== '' || attrs.resource !== 'pods' || attrs.subresource !== '') return;
      const pod = attrs.object as Pod;
      const spec = (pod.spec ??= { containers: [] });
      const tolerations: Toleration[] = spec.tolerations ?? [];
      const tolerates = (key: string) => tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
      const added: Toleration[] = [];
      if (!tolerates(TAINT_NODE_NOT_READY)) added.push({ key: TAINT_NODE_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: notReady });
      if (!tolerates(TAINT_NODE_UNREACHABLE)) added.push({ key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: unreachable });
      if (added.length > 0) spec.tolerations = [...tolerations, ...added];
    },
  };
}
