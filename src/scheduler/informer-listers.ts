import type { ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Namespace, ReplicationController, Service } from 'kubernetes-types/core/v1.js';
import { NAMESPACE_INDEX, type InformerFactory, type KubeObject, type RestClient, type SharedInformer } from '../client/index.js';
import type { SchedulerListers } from './framework/listers.js';

/**
 * The listers plugins read (Namespaces for namespaceSelector, Services and controllers for PodTopologySpread's
 * default constraints), from informers started with the scheduler's. Empty until `start`.
 */
export class InformerListers implements SchedulerListers {
  private ns: SharedInformer<Namespace> | undefined;
  private svc: SharedInformer<Service> | undefined;
  private rc: SharedInformer<ReplicationController> | undefined;
  private rs: SharedInformer<ReplicaSet> | undefined;
  private ss: SharedInformer<StatefulSet> | undefined;

  /** Kinds this build does not serve (ReplicationController, StatefulSet) are left out: their lookups find nothing. */
  start(informers: InformerFactory, client: RestClient): void {
    const of = <T extends KubeObject>(apiVersion: string, kind: string): SharedInformer<T> | undefined => {
      let type;
      try {
        type = client.kind<T>(apiVersion, kind).type;
      } catch {
        return undefined;
      }
      return informers.informer<T>(type);
    };
    this.ns = of<Namespace>('v1', 'Namespace');
    this.svc = of<Service>('v1', 'Service');
    this.rc = of<ReplicationController>('v1', 'ReplicationController');
    this.rs = of<ReplicaSet>('apps/v1', 'ReplicaSet');
    this.ss = of<StatefulSet>('apps/v1', 'StatefulSet');
  }

  namespace(name: string): Namespace | undefined {
    return this.ns?.store.getByName('', name);
  }

  namespaces(): readonly Namespace[] {
    return this.ns?.store.list() ?? [];
  }

  services(namespace: string): readonly Service[] {
    return this.svc?.store.byIndex(NAMESPACE_INDEX, namespace) ?? [];
  }

  replicationController(namespace: string, name: string): ReplicationController | undefined {
    return this.rc?.store.getByName(namespace, name);
  }

  replicaSet(namespace: string, name: string): ReplicaSet | undefined {
    return this.rs?.store.getByName(namespace, name);
  }

  statefulSet(namespace: string, name: string): StatefulSet | undefined {
    return this.ss?.store.getByName(namespace, name);
  }
}
