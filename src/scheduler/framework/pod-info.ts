import type { Pod } from 'kubernetes-types/core/v1.js';
import { podAffinityTerms, type PodAffinityTerms } from './affinity-term.js';
import { podRequests, type Resources } from './resources.js';

/** A Pod with what the plugins read of it computed once: its key, requests, host ports and priority. */
export class PodInfo {
  readonly key: string;
  readonly requests: Resources;
  readonly nonZeroRequests: Resources;
  readonly hostPorts: readonly HostPort[];
  readonly priority: number;
  readonly hasAffinity: boolean;
  readonly hasRequiredAntiAffinity: boolean;
  private parsedTerms: PodAffinityTerms | undefined;

  constructor(readonly pod: Pod) {
    this.key = podKey(pod);
    this.requests = podRequests(pod);
    this.nonZeroRequests = podRequests(pod, true);
    this.hostPorts = hostPortsOf(pod);
    this.priority = pod.spec?.priority ?? 0;
    const a = pod.spec?.affinity;
    this.hasAffinity = !!(a?.podAffinity || a?.podAntiAffinity);
    this.hasRequiredAntiAffinity = (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
  }

  /** Its inter-pod affinity terms, parsed on first use. */
  get affinityTerms(): PodAffinityTerms {
    this.parsedTerms ??= podAffinityTerms(this.pod);
    return this.parsedTerms;
  }

  get namespace(): string {
    return this.pod.metadata?.namespace ?? '';
  }

  get labels(): Readonly<Record<string, string>> {
    return this.pod.metadata?.labels ?? NO_LABELS;
  }
}

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

export interface HostPort {
  readonly ip: string;
  readonly protocol: string;
  readonly port: number;
}

export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

function hostPortsOf(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []).filter((i) => i.restartPolicy === 'Always'), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}
