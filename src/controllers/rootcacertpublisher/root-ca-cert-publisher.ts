import type { ConfigMap, Namespace } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/index.js';
import { WorkQueue, type ResourceClient, type SharedInformer } from '../../client/index.js';
import type { ControllerContext } from '../runtime/controller-context.js';
import { runWorkersWhenSynced } from '../runtime/worker-loop.js';

/** The ConfigMap every namespace gets, and its one key. */
export const ROOT_CA_CONFIG_MAP_NAME = 'kube-root-ca.crt';
export const ROOT_CA_KEY = 'ca.crt';
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export interface RootCACertPublisherOptions extends ControllerContext {
  /** The CA bundle (PEM) that verifies the API server: --root-ca-file, or the CA of the controller-manager's kubeconfig. */
  readonly rootCA: string;
}

/**
 * upstream's root-ca-cert-publisher: every namespace that is not being deleted holds the ConfigMap `kube-root-ca.crt`
 * with the cluster's CA under `ca.crt`, which the kube-api-access volumes of its Pods project. A changed or deleted
 * ConfigMap is put back. Keys are namespace names.
 */
export class RootCACertPublisher {
  readonly name = 'root-ca-certificate-publisher-controller';
  private readonly queue: WorkQueue<string>;
  private readonly nsInformer: SharedInformer<Namespace>;
  private readonly cmInformer: SharedInformer<ConfigMap>;
  private readonly configMaps: ResourceClient<ConfigMap>;

  constructor(private readonly opts: RootCACertPublisherOptions) {
    this.queue = new WorkQueue<string>({ clock: opts.clock });
    this.configMaps = opts.client.kind<ConfigMap>('v1', 'ConfigMap');
    this.nsInformer = opts.informers.informer<Namespace>(opts.client.kind<Namespace>('v1', 'Namespace').type);
    this.cmInformer = opts.informers.informer<ConfigMap>(this.configMaps.type);
    this.nsInformer.addEventHandler({
      onAdd: (ns) => this.enqueue(ns.metadata?.name),
      onUpdate: (_old, ns) => this.enqueue(ns.metadata?.name),
    });
    const onConfigMap = (cm: ConfigMap) => {
      if (cm.metadata?.name === ROOT_CA_CONFIG_MAP_NAME) this.enqueue(cm.metadata.namespace);
    };
    this.cmInformer.addEventHandler({ onUpdate: (_old, cm) => onConfigMap(cm), onDelete: onConfigMap });
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    return runWorkersWhenSynced([this.nsInformer, this.cmInformer], this.queue, (key) => this.sync(key, signal), workers, signal, this.opts.log);
  }

  private enqueue(namespace: string | undefined): void {
    if (namespace) this.queue.add(namespace);
  }

  async sync(namespace: string, signal?: AbortSignal): Promise<void> {
    const ns = this.nsInformer.store.getByName('', namespace);
    if (!ns || ns.metadata?.deletionTimestamp) return;
    const data = { [ROOT_CA_KEY]: this.opts.rootCA };
    const cm = this.cmInformer.store.getByName(namespace, ROOT_CA_CONFIG_MAP_NAME);
    try {
      if (!cm) {
        const fresh: ConfigMap = { metadata: { name: ROOT_CA_CONFIG_MAP_NAME, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } }, data };
        await this.configMaps.create(namespace, fresh, { fieldManager: 'kube-controller-manager' }, signal);
        return;
      }
      const current = cm.data ?? {};
      const same = Object.keys(current).length === 1 && current[ROOT_CA_KEY] === this.opts.rootCA;
      if (same && cm.metadata?.annotations?.[DESCRIPTION_ANNOTATION] === DESCRIPTION) return;
      const updated: ConfigMap = {
        ...cm,
        metadata: { ...cm.metadata, annotations: { ...(cm.metadata?.annotations ?? {}), [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
        data,
      };
      await this.configMaps.update(namespace, updated, { fieldManager: 'kube-controller-manager' }, signal);
    } catch (err) {
      // A namespace that began terminating, or a ConfigMap another worker just created: nothing to do.
      if (err instanceof ApiError && (err.status.reason === 'AlreadyExists' || err.status.code === 404 || (err.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating'))) return;
      throw err;
    }
  }
}
