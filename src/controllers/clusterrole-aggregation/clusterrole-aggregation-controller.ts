import { isDeepStrictEqual } from 'node:util';
import type { ClusterRole } from 'kubernetes-types/rbac/v1.js';
import { ApiError } from '../../api/index.js';
import { WorkQueue, type ResourceClient, type SharedInformer } from '../../client/index.js';
import { runWorkers } from '../runtime/worker-loop.js';
import { aggregatedRules } from './aggregated-rules.js';
import type { ControllerContext } from '../runtime/controller-context.js';

export type ClusterRoleAggregationControllerOptions = ControllerContext;

/**
 * upstream's clusterrole-aggregation controller: a ClusterRole with an aggregationRule has as its rules the union of
 * the rules of the ClusterRoles its selectors match (`admin`, `edit`, `view` gather the `aggregate-to-*` roles). Any
 * ClusterRole change re-syncs every aggregated role; keys are ClusterRole names.
 */
export class ClusterRoleAggregationController {
  readonly name = 'clusterrole-aggregation';
  private readonly queue: WorkQueue<string>;
  private readonly informer: SharedInformer<ClusterRole>;
  private readonly roles: ResourceClient<ClusterRole>;

  constructor(private readonly opts: ClusterRoleAggregationControllerOptions) {
    this.queue = new WorkQueue<string>({ clock: opts.clock });
    this.roles = opts.client.kind<ClusterRole>('rbac.authorization.k8s.io/v1', 'ClusterRole');
    this.informer = opts.informers.informer<ClusterRole>(this.roles.type);
    const enqueueAll = () => {
      for (const role of this.informer.store.list()) if (role.aggregationRule) this.queue.add(role.metadata?.name ?? '');
    };
    this.informer.addEventHandler({ onAdd: enqueueAll, onUpdate: enqueueAll, onDelete: enqueueAll });
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    await this.informer.whenSynced(signal);
    if (signal.aborted) return;
    await runWorkers(this.queue, (key) => this.sync(key, signal), workers, signal, this.opts.log);
  }

  async sync(name: string, signal?: AbortSignal): Promise<void> {
    const role = this.informer.store.getByName('', name);
    if (!role) return;
    const rules = aggregatedRules(role, this.informer.store.list());
    if (rules === undefined || isDeepStrictEqual(rules, role.rules ?? [])) return;
    try {
      await this.roles.update('', { ...role, rules }, { fieldManager: 'clusterrole-aggregation-controller' }, signal);
    } catch (err) {
      // A stale copy: the informer brings the new one, which enqueues this role again.
      if (err instanceof ApiError && (err.status.code === 409 || err.status.code === 404)) return;
      throw err;
    }
  }
}
