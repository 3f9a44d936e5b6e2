import type { Pod, PodAffinityTerm, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { LabelSelector, type Labels } from '../../api/index.js';

/**
 * A PodAffinityTerm parsed once (upstream's framework.AffinityTerm): the namespaces it names (the Pod's own when it
 * names none and has no namespaceSelector), its label selector and namespace selector (a missing selector matches
 * nothing, `{}` everything) and its topology key.
 */
export class AffinityTerm {
  constructor(
    readonly namespaces: ReadonlySet<string>,
    readonly selector: LabelSelector,
    readonly topologyKey: string,
    readonly namespaceSelector: LabelSelector,
  ) {}

  static fromSpec(pod: Pod, term: PodAffinityTerm): AffinityTerm {
    const namespaces = term.namespaces ?? [];
    const ns = namespaces.length === 0 && !term.namespaceSelector ? [pod.metadata?.namespace ?? ''] : namespaces;
    return new AffinityTerm(new Set(ns), safeSelector(term.labelSelector), term.topologyKey, safeSelector(term.namespaceSelector));
  }

  /** Whether `pod` (whose namespace has the labels `nsLabels`) is selected by the term. */
  matches(pod: Pod, nsLabels: Labels | undefined): boolean {
    if (this.namespaces.has(pod.metadata?.namespace ?? '') || (!this.namespaceSelector.matchesNothing && this.namespaceSelector.matches(nsLabels ?? {}))) {
      return this.selector.matches(pod.metadata?.labels ?? {});
    }
    return false;
  }

  /** The same term with the namespaces its namespaceSelector selects merged into `namespaces` (the selector then matches nothing). */
  withNamespaces(extra: Iterable<string>): AffinityTerm {
    return new AffinityTerm(new Set([...this.namespaces, ...extra]), this.selector, this.topologyKey, LabelSelector.nothing());
  }
}

export interface WeightedAffinityTerm {
  readonly term: AffinityTerm;
  readonly weight: number;
}

/** The four kinds of inter-pod affinity terms of a Pod. */
export interface PodAffinityTerms {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
}

const NO_TERMS: PodAffinityTerms = { requiredAffinity: [], requiredAntiAffinity: [], preferredAffinity: [], preferredAntiAffinity: [] };

export function podAffinityTerms(pod: Pod): PodAffinityTerms {
  const a = pod.spec?.affinity;
  if (!a?.podAffinity && !a?.podAntiAffinity) return NO_TERMS;
  const required = (terms: readonly PodAffinityTerm[] | undefined) => (terms ?? []).map((t) => AffinityTerm.fromSpec(pod, t));
  const weighted = (terms: readonly WeightedPodAffinityTerm[] | undefined) =>
    (terms ?? []).map((t) => ({ term: AffinityTerm.fromSpec(pod, t.podAffinityTerm), weight: t.weight }));
  return {
    requiredAffinity: required(a.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinity: required(a.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    preferredAffinity: weighted(a.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: weighted(a.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
  };
}

/** A selector from a spec that the API server validated; one it could not parse matches nothing. */
export function safeSelector(spec: Parameters<typeof LabelSelector.fromSpec>[0]): LabelSelector {
  try {
    return LabelSelector.fromSpec(spec);
  } catch {
    return LabelSelector.nothing();
  }
}
