import { ApiError, parentManagedFields, scaleManagedFields } from '../../api/index.js';
import type { UserInfo } from '../authn/index.js';
import type { ServerRequest, ServerResponse } from '../http/http-types.js';
import { writeJson } from '../http/respond.js';
import type { KubeObject } from '../kube-object.js';
import type { ApplyRequest } from '../registry/managed-fields-tracker.js';
import { apiVersionOf } from '../registry/resource-definition.js';
import type { ResourceStore } from '../registry/resource-store.js';
import { checkApplyConfiguration, parseForce, type ApplyDependencies } from './apply-handler.js';
import type { ParsedPatch } from './patch-body.js';
import { scaleOf } from './subresource-handler.js';

type Obj = Record<string, unknown>;

/**
 * Server-side apply of an autoscaling/v1 Scale to `<workload>/scale`: the Scale is applied with the
 * workload's managedFields seen through the Scale (who owns `.spec.replicas`), and ownership of the
 * replicas goes back to the workload's entries. The workload must exist.
 */
export async function serveScaleApply(
  req: ServerRequest,
  res: ServerResponse,
  target: { store: ResourceStore; namespace: string; name: string },
  options: { query: URLSearchParams; dryRun: boolean; patch: ParsedPatch; user: UserInfo },
  deps: ApplyDependencies,
): Promise<void> {
  const { store, namespace, name } = target;
  const config = options.patch.document as KubeObject;
  checkApplyConfiguration(config, { apiVersion: 'autoscaling/v1', kind: 'Scale' }, deps);
  const request: ApplyRequest = { manager: options.query.get('fieldManager') ?? '', force: parseForce(options.query), subresource: 'scale' };
  const updated = await store.guaranteedUpdate(
    namespace,
    name,
    (parent) => {
      const live = scaleOf(parent) as KubeObject;
      live.metadata = { ...live.metadata, managedFields: scaleManagedFields(parent.metadata?.managedFields) as NonNullable<KubeObject['metadata']>['managedFields'] };
      const applied = deps.apply(live, structuredClone(config), request);
      if ((applied.metadata?.name ?? '') !== name) {
        throw ApiError.badRequest(`the name of the object (${applied.metadata?.name ?? ''}) does not match the name on the URL (${name})`);
      }
      const replicas = (applied.spec as Obj | undefined)?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        throw ApiError.invalid({ group: 'autoscaling', kind: 'Scale' }, name, [
          { type: 'FieldValueInvalid', field: 'spec.replicas', badValue: replicas ?? null, detail: 'must be greater than or equal to 0' },
        ]);
      }
      const managedFields = parentManagedFields(parent.metadata?.managedFields, applied.metadata?.managedFields, apiVersionOf(store.def));
      const metadata = { ...parent.metadata, managedFields } as KubeObject['metadata'];
      return { ...parent, metadata, spec: { ...(parent.spec as Obj), replicas } };
    },
    { dryRun: options.dryRun, applied: true, user: options.user },
  );
  const scale = scaleOf(updated);
  (scale['metadata'] as Obj)['managedFields'] = scaleManagedFields(updated.metadata?.managedFields);
  writeJson(req, res, 200, scale);
}
