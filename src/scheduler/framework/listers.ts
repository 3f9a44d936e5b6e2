import type { StatefulSet, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Namespace, ReplicationController, Service } from 'kubernetes-types/core/v1.js';

/** What plugins may read of other kinds, from the scheduler's informers. */
export interface SchedulerListers {
  namespace(name: string): Namespace | undefined;
  namespaces(): readonly Namespace[];
  services(namespace: string): readonly Service[];
  replicationController(namespace: string, name: string): ReplicationController | undefined;
  replicaSet(namespace: string, name: string): ReplicaSet | undefined;
  statefulSet(namespace: string, name: string): StatefulSet | undefined;
}

/** Listers over fixed lists (tests), empty by default. */
export function staticListers(objs: { namespaces?: Namespace[]; services?: Service[]; replicationControllers?: ReplicationController[]; replicaSets?: ReplicaSet[]; statefulSets?: StatefulSet[] } = {}): SchedulerListers {
  const find = <T extends { metadata?: { namespace?: string; name?: string } }>(list: readonly T[] | undefined, ns: string, name: string) =>
    list?.find((o) => (o.metadata?.namespace ?? '') === ns && o.metadata?.name === name);
  return {
    namespace: (name) => objs.namespaces?.find((n) => n.metadata?.name === name),
    namespaces: () => objs.namespaces ?? [],
    services: (ns) => (objs.services ?? []).filter((s) => (s.metadata?.namespace ?? '') === ns),
    replicationController: (ns, name) => find(objs.replicationControllers, ns, name),
    replicaSet: (ns, name) => find(objs.replicaSets, ns, name),
    statefulSet: (ns, name) => find(objs.statefulSets, ns, name),
  };
}
