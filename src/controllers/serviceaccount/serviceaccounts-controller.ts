import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/index.js';
import { WorkQueue, type ResourceClient, type SharedInformer } from '../../client/index.js';
import type { ControllerContext } from '../runtime/controller-context.js';
import { runWorkersWhenSynced } from '../runtime/worker-loop.js';

/** The ServiceAccounts every namespace gets (upstream's DefaultServiceAccountsControllerOptions). */
export const SERVICE_ACCOUNTS_TO_ENSURE: readonly string[] = ['default'];

export interface ServiceAccountsControllerOptions extends ControllerContext {
  readonly serviceAccounts?: readonly string[];
}

/**
 * The ServiceAccount controller (upstream's pkg/controller/serviceaccount ServiceAccountsController): every Active
 * namespace has the ServiceAccounts to ensure (`default`); one that is deleted is created again. Namespaces that are
 * not Active get nothing. Keys are namespace names.
 */
export class ServiceAccountsController {
  readonly name = 'serviceaccount';
  private readonly queue: WorkQueue<string>;
  private readonly nsInformer: SharedInformer<Namespace>;
  private readonly saInformer: SharedInformer<ServiceAccount>;
  private readonly serviceAccounts: ResourceClient<ServiceAccount>;
  private readonly ensure: readonly string[];

  constructor(private readonly opts: ServiceAccountsControllerOptions) {
    this.queue = new WorkQueue<string>({ clock: opts.clock });
    this.ensure = opts.serviceAccounts ?? SERVICE_ACCOUNTS_TO_ENSURE;
    this.serviceAccounts = opts.client.kind<ServiceAccount>('v1', 'ServiceAccount');
    this.nsInformer = opts.informers.informer<Namespace>(opts.client.kind<Namespace>('v1', 'Namespace').type);
    this.saInformer = opts.informers.informer<ServiceAccount>(this.serviceAccounts.type);
    this.nsInformer.addEventHandler({
      onAdd: (ns) => this.enqueue(ns.metadata?.name),
      onUpdate: (_old, ns) => this.enqueue(ns.metadata?.name),
    });
    this.saInformer.addEventHandler({
      onDelete: (sa) => {
        if (this.ensure.includes(sa.metadata?.name ?? '')) this.enqueue(sa.metadata?.namespace);
      },
    });
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    return runWorkersWhenSynced([this.nsInformer, this.saInformer], this.queue, (key) => this.sync(key, signal), workers, signal, this.opts.log);
  }

  private enqueue(namespace: string | undefined): void {
    if (namespace) this.queue.add(namespace);
  }

  /** syncNamespace: creates the missing ServiceAccounts of an Active namespace. */
  async sync(namespace: string, signal?: AbortSignal): Promise<void> {
    const ns = this.nsInformer.store.getByName('', namespace);
    if (!ns || ns.status?.phase !== 'Active') return;
    const failures: unknown[] = [];
    for (const name of this.ensure) {
      if (this.saInformer.store.getByName(namespace, name)) continue;
      try {
        await this.serviceAccounts.create(namespace, { metadata: { name, namespace } }, { fieldManager: 'kube-controller-manager' }, signal);
      } catch (err) {
        if (err instanceof ApiError && (err.status.reason === 'AlreadyExists' || (err.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating'))) continue;
        failures.push(err);
      }
    }
    if (failures.length > 0) throw failures[0];
  }
}
