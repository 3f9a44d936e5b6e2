import type { DeleteOptions } from 'kubernetes-types/meta/v1.js';
import { ApiError, LabelSelector, type LabelSelectorSpec } from '../../api/index.js';
import type { UserInfo } from '../authn/index.js';
import type { ServerRequest, ServerResponse } from '../http/http-types.js';
import { readBody } from '../http/read-body.js';
import { noteStored, writeJson } from '../http/respond.js';
import type { KubeObject } from '../kube-object.js';
import type { ResourceStore } from '../registry/resource-store.js';
import { bodyFormat, decodeProtobufBody } from './decode-body.js';

type Obj = Record<string, unknown>;

export async function readJsonObject(req: ServerRequest, kind: string): Promise<Obj> {
  const format = bodyFormat(req.headers['content-type']);
  const body = await readBody(req);
  if (format === 'protobuf') return decodeProtobufBody(body, kind, 'v1').object as Obj;
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Obj;
  } catch (err) {
    throw ApiError.badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: ${(err as Error).message}`);
  }
  throw ApiError.badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: the body is not an object`);
}

/** The autoscaling/v1 Scale of a ReplicaSet or Deployment. */
export function scaleOf(obj: KubeObject): Obj {
  const meta = obj.metadata ?? {};
  const spec = (obj.spec ?? {}) as Obj;
  const status = (obj.status ?? {}) as Obj;
  let selector = '';
  try {
    selector = LabelSelector.fromSpec((spec.selector ?? null) as LabelSelectorSpec | null).toString();
  } catch {
    selector = '';
  }
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, ...(selector ? { selector } : {}) },
  };
}

/** GET, PUT and PATCH of `<workload>/scale` (the PATCH body is applied to the Scale by `patchScale`). */
export async function serveScale(
  req: ServerRequest,
  res: ServerResponse,
  store: ResourceStore,
  namespace: string,
  name: string,
  verb: string,
  options: { dryRun: boolean; manager?: string; patchScale?: (scale: Obj) => Promise<Obj>; user: UserInfo },
): Promise<void> {
  if (verb === 'get') return writeJson(req, res, 200, scaleOf((await store.get(namespace, name)).object));
  if (verb !== 'update' && verb !== 'patch') throw ApiError.methodNotSupported({ group: store.def.group, resource: `${store.def.resource}/scale` }, verb);
  const body = verb === 'update' ? await readJsonObject(req, 'Scale') : undefined;
  const updated = await store.guaranteedUpdate(
    namespace,
    name,
    async (current) => {
      const desired = body ?? (await options.patchScale!(scaleOf(current)));
      const meta = (desired.metadata ?? {}) as Obj;
      if (meta.resourceVersion && meta.resourceVersion !== current.metadata?.resourceVersion) {
        throw ApiError.conflict({ group: store.def.group, resource: store.def.resource }, name, 'the object has been modified; please apply your changes to the latest version and try again');
      }
      const replicas = (desired.spec as Obj | undefined)?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        throw ApiError.invalid({ group: 'autoscaling', kind: 'Scale' }, name, [
          { type: 'FieldValueInvalid', field: 'spec.replicas', badValue: replicas ?? null, detail: 'must be greater than or equal to 0' },
        ]);
      }
      return { ...current, spec: { ...(current.spec as Obj), replicas } };
    },
    // The parent's managedFields record the change as an Update of the scale subresource, as upstream's do.
    { dryRun: options.dryRun, manager: options.manager, user: options.user, subresource: 'scale' },
  );
  writeJson(req, res, 200, scaleOf(updated));
}

/**
 * POST pods/<name>/binding, or POST bindings naming the pod in metadata.name: sets spec.nodeName once and records
 * PodScheduled, as the scheduler's bind does.
 */
export async function serveBinding(
  req: ServerRequest,
  res: ServerResponse,
  store: ResourceStore,
  namespace: string,
  podName: string | undefined,
  write: { dryRun: boolean; user: UserInfo },
): Promise<void> {
  const { dryRun } = write;
  const binding = await readJsonObject(req, 'Binding');
  const name = podName ?? String(((binding.metadata ?? {}) as Obj).name ?? '');
  if (name === '') {
    throw ApiError.invalid({ group: '', kind: 'Binding' }, '', [{ type: 'FieldValueRequired', field: 'metadata.name', badValue: '', detail: 'name or generateName is required' }]);
  }
  const target = (binding.target ?? {}) as Obj;
  const node = typeof target.name === 'string' ? target.name : '';
  if (node === '') {
    throw ApiError.invalid({ group: '', kind: 'Binding' }, name, [{ type: 'FieldValueRequired', field: 'target.name', badValue: '', detail: '' }]);
  }
  const { stored, written } = await store.guaranteedUpdateStored(
    namespace,
    name,
    (pod) => {
      const spec = (pod.spec ?? {}) as Obj;
      if (pod.metadata?.deletionTimestamp) throw ApiError.conflict({ group: '', resource: 'pods' }, name, `pod ${name} is being deleted, cannot be assigned to a host`);
      if (spec.nodeName) throw ApiError.conflict({ group: '', resource: 'pods' }, name, `pod ${name} is already assigned to node "${String(spec.nodeName)}"`);
      const status = (pod.status ?? {}) as Obj;
      const conditions = ((status.conditions as Obj[] | undefined) ?? []).filter((c) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z') });
      return { ...pod, spec: { ...spec, nodeName: node }, status: { ...status, conditions } };
    },
    { ...write, subresource: 'binding' },
  );
  if (!dryRun) noteStored(res, written, String(stored.revision));
  writeJson(req, res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** POST pods/<name>/eviction: without PodDisruptionBudgets an eviction is a delete with the eviction's options. */
export async function serveEviction(req: ServerRequest, res: ServerResponse, store: ResourceStore, namespace: string, name: string, write: { dryRun: boolean; user: UserInfo }): Promise<void> {
  const eviction = await readJsonObject(req, 'Eviction');
  const options = (eviction.deleteOptions ?? {}) as DeleteOptions;
  await store.delete(namespace, name, options, { ...write, subresource: 'eviction' });
  writeJson(req, res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
