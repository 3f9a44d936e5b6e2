import type { DeleteOptions } from 'kubernetes-types/meta/v1.js';
import { ApiError, isValidPathSegmentName, type PatchMeta, type StructuralSchema } from '../../api/index.js';
import type { ServerRequest, ServerResponse } from '../http/http-types.js';
import type { RequestInfo } from '../http/request-info.js';
import { noteRequestObject } from '../http/captured-bodies.js';
import { readBody } from '../http/read-body.js';
import { noteStored, writeRawJson } from '../http/respond.js';
import type { KubeObject } from '../kube-object.js';
import { parseListQuery } from '../registry/list-query.js';
import type { ResourceStore } from '../registry/resource-store.js';
import { apiVersionOf, keyCoordinates } from '../registry/resource-definition.js';
import { decodeObjectBody, parseFieldValidation, warningHeader } from './decode-body.js';
import { applyPatch, checkPatchedFields, readPatch } from './patch-body.js';
import { serveApply, validatePatchOptions, type ApplyDependencies } from './apply-handler.js';
import { serveScaleApply } from './scale-apply.js';
import type { ManagedFieldsTracker } from '../registry/managed-fields-tracker.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { TurnQueue } from '../http/turn-queue.js';
import { listJson } from './list-json.js';
import { serveWatch } from './watch-handler.js';
import { serveBinding, serveEviction, serveScale } from './subresource-handler.js';
import { readFormat, transformedJson, transforms } from './response-format.js';
import type { CachedObject } from '../watch-cache/cached-object.js';
import type { WatchMessage } from '../watch-cache/cache-watcher.js';
import type { WatchDeliveryRing } from '../audit/index.js';
import type { UserInfo } from '../authn/index.js';
import type { TokenIssuer } from '../serviceaccount/index.js';
import { serveTokenRequest } from './token-request-handler.js';

export interface ResourceHandlerOptions {
  /** The store of a resource by `<group>/<version>/<resource>`. */
  readonly stores: ReadonlyMap<string, ResourceStore>;
  /** The structural schema of a kind, for field validation and pruning. */
  readonly schemaFor: (group: string, version: string, kind: string) => StructuralSchema | undefined;
  /** Ends long-running requests (watches) when the server shuts down. */
  readonly shutdown: AbortSignal;
  /** The clock reading (ms) tables count ages from. */
  readonly now: () => number;
  /** Where every watch event sent to a client is noted (in memory only). */
  readonly deliveries: WatchDeliveryRing;
  /** How strategic merge patches merge the lists of a kind (from the OpenAPI extensions we serve). */
  readonly patchMetaFor: (group: string, version: string, kind: string) => PatchMeta;
  /** Field ownership: server-side apply and the managedFields schema of a kind. */
  readonly fieldManager: Pick<ManagedFieldsTracker, 'apply' | 'applyWith' | 'schema'>;
  /** Issues service account tokens (serviceaccounts/<name>/token); without it the subresource is not served. */
  readonly tokenIssuer?: TokenIssuer;
}

const NOT_FOUND = () => new ApiError({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} });

/** Serves the REST verbs of every stored resource: get, list, watch, create, update, delete, deletecollection. */
/** Mutating requests decoded, defaulted and validated per event-loop iteration (see TurnQueue). */
const MUTATIONS_PER_TURN = 4;

export class ResourceHandler {
  private readonly mutations = new TurnQueue(MUTATIONS_PER_TURN);

  constructor(private readonly opts: ResourceHandlerOptions) {}

  async handle(req: ServerRequest, res: ServerResponse, info: RequestInfo, query: URLSearchParams, user: UserInfo): Promise<void> {
    if (info.apiGroup === '' && info.apiVersion === 'v1' && info.resource === 'bindings') {
      if (info.verb !== 'create' || info.name !== '' || info.namespace === '') throw NOT_FOUND();
      await this.mutations.take();
      return serveBinding(req, res, this.opts.stores.get('/v1/pods')!, info.namespace, undefined, { dryRun: parseDryRun(query), user });
    }
    const store = this.opts.stores.get(`${info.apiGroup}/${info.apiVersion}/${info.resource}`);
    if (!store) throw NOT_FOUND();
    // upstream's NamespaceKeyFunc: a name or namespace from the URL must be a valid path segment.
    for (const [what, value] of [['Name', info.name], ['Namespace', info.namespace]] as const) {
      const problems = value === '' ? [] : isValidPathSegmentName(value);
      if (problems.length > 0) throw ApiError.badRequest(`${what} parameter invalid: ${JSON.stringify(value)}: ${problems.join(', ')}`);
    }
    const def = store.def;
    const namespace = def.namespaced ? info.namespace : '';
    if (def.resource === 'namespaces' && info.name === '' && info.namespace !== '') throw NOT_FOUND();
    if (!def.namespaced && info.namespace !== '' && def.resource !== 'namespaces') throw NOT_FOUND();
    if (def.namespaced && namespace === '' && !['list', 'watch'].includes(info.verb)) throw NOT_FOUND();
    const subresource = info.subresource;
    const served = def.subresources;
    if (subresource !== '' && !served.includes(subresource)) throw NOT_FOUND();
    if (subresource === 'status' && !['get', 'update', 'patch'].includes(info.verb)) {
      throw ApiError.methodNotSupported(store.groupResource(), info.verb);
    }
    const dryRun = parseDryRun(query);
    const manager = fieldManager(req, query);
    if (info.verb !== 'get' && info.verb !== 'list' && info.verb !== 'watch') await this.mutations.take();
    if (subresource === 'scale') {
      const patch = info.verb === 'patch' ? await readPatch(req) : undefined;
      if (patch !== undefined) validatePatchOptions(query, patch.type);
      if (patch?.type === 'apply') {
        const scaleDeps = this.scaleApplyDependencies();
        return serveScaleApply(req, res, { store, namespace, name: info.name }, { query, dryRun, patch, user }, scaleDeps);
      }
      const patchScale = async (scale: Record<string, unknown>) => applyPatch(patch!, scale, this.opts.patchMetaFor('autoscaling', 'v1', 'Scale')) as Record<string, unknown>;
      return serveScale(req, res, store, namespace, info.name, info.verb, { dryRun, manager, patchScale, user });
    }
    if (subresource === 'binding' && info.verb === 'create') return serveBinding(req, res, store, namespace, info.name, { dryRun, user });
    if (subresource === 'eviction' && info.verb === 'create') return serveEviction(req, res, store, namespace, info.name, { dryRun, user });
    if (subresource === 'token' && info.verb === 'create' && this.opts.tokenIssuer) {
      const stores = this.opts.stores;
      const tokenStores = { serviceAccounts: store, pods: stores.get('/v1/pods')!, secrets: stores.get('/v1/secrets')!, nodes: stores.get('/v1/nodes')! };
      return serveTokenRequest(req, res, tokenStores, this.opts.tokenIssuer, namespace, info.name);
    }
    // namespaces/finalize serves PUT only (upstream's FinalizeREST is an Updater).
    if (subresource === 'finalize' && info.verb !== 'update') throw ApiError.methodNotSupported(store.groupResource(), info.verb);
    if (subresource !== '' && subresource !== 'status' && subresource !== 'finalize') throw ApiError.methodNotSupported(store.groupResource(), info.verb);

    switch (info.verb) {
      case 'get': {
        const format = readFormat(req, query);
        const obj = await store.get(namespace, info.name);
        if (!transforms(format)) return writeRawJson(req, res, 200, obj.json());
        return writeRawJson(req, res, 200, transformedJson(def, format, [obj.object], { single: true, now: this.opts.now() }));
      }
      case 'list': {
        const format = readFormat(req, query);
        const page = await store.list(namespace, parseListQuery(query, false));
        if (!transforms(format)) return writeRawJson(req, res, 200, listJson(def, page));
        const listMeta = { resourceVersion: String(page.revision), continue: page.continueToken, remainingItemCount: page.remainingItemCount };
        return writeRawJson(req, res, 200, transformedJson(def, format, page.items.map((o) => o.object), { single: false, listMeta, now: this.opts.now() }));
      }
      case 'watch': {
        const format = readFormat(req, query);
        let first = true;
        const encode = transforms(format)
          ? (o: CachedObject) => {
              const json = transformedJson(def, format, [o.object], { single: true, withColumns: first, now: this.opts.now() });
              first = false;
              return json;
            }
          : undefined;
        const resource = def.group ? `${def.group}/${def.resource}` : def.resource;
        const userAgent = req.headers['user-agent'] ?? '';
        const now = this.opts.now;
        const deliveries = this.opts.deliveries;
        const delivered = (msg: WatchMessage) => {
          const at = msg.type === 'BOOKMARK' ? undefined : objectCoordinates(def, msg.object);
          deliveries.record({
            time: now(),
            user: user.username,
            userAgent,
            resource,
            namespace: at?.namespace,
            name: at?.name ?? '',
            type: msg.type,
            resourceVersion: String(msg.revision),
          });
        };
        return serveWatch(req, res, store, namespace, parseListQuery(query, true), this.opts.shutdown, encode, delivered);
      }
      case 'create': {
        if (info.name !== '') throw ApiError.methodNotSupported(store.groupResource(), 'create');
        const body = await this.decode(req, store, query, res);
        const created = await store.create(namespace, body, { dryRun, manager, user });
        // The object create() filled in (name, uid …) and stored, without decoding the stored copy back.
        if (!dryRun) noteStored(res, body, String(created.revision));
        return writeRawJson(req, res, 201, created.json());
      }
      case 'update': {
        const body = await this.decode(req, store, query, res);
        const { stored, written, created } = await store.update(namespace, info.name, body, { dryRun, manager, user, subresource: subresource || undefined });
        if (!dryRun) noteStored(res, written, String(stored.revision));
        return writeRawJson(req, res, created ? 201 : 200, stored.json());
      }
      case 'delete': {
        const options = await deleteOptions(req, query);
        const outcome = await store.delete(namespace, info.name, options, { dryRun, user });
        const answer = def.strategy.returnDeletedObject || !outcome.removed ? outcome.object : successStatus(store, outcome.object);
        // upstream answers 202 only when the object stays and the client asked not to orphan dependents.
        const accepted = !outcome.removed && options.orphanDependents === false;
        return writeRawJson(req, res, accepted ? 202 : 200, JSON.stringify(answer));
      }
      case 'deletecollection': {
        const options = await deleteOptions(req, query);
        const page = await store.list(namespace, parseListQuery(query, false));
        const deleted: KubeObject[] = [];
        for (const item of page.items) {
          try {
            deleted.push((await store.delete(item.namespace ?? '', item.name, options, { dryRun, user })).object);
          } catch (err) {
            if (!(err instanceof ApiError && err.status.code === 404)) throw err;
          }
        }
        const items = deleted.map((o) => JSON.stringify(o));
        return writeRawJson(req, res, 200, `{"kind":"${def.kind}List","apiVersion":"${apiVersionOf(def)}","metadata":{},"items":[${items.join(',')}]}`);
      }
      case 'patch': {
        const validation = parseFieldValidation(query.get('fieldValidation'));
        const patch = await readPatch(req);
        validatePatchOptions(query, patch.type);
        if (patch.type === 'apply') {
          const target = { store, namespace, name: info.name, subresource: subresource || undefined };
          return serveApply(req, res, target, { query, dryRun, validation, patch, user }, this.applyDependencies(def));
        }
        const schema = this.opts.schemaFor(def.group, def.version, def.kind);
        const meta = this.opts.patchMetaFor(def.group, def.version, def.kind);
        let warnings: string[] = [];
        const { stored, written } = await store.guaranteedUpdateStored(
          namespace,
          info.name,
          (current) => {
            const result = applyPatch(patch, current, meta) as KubeObject;
            if (result === null || typeof result !== 'object' || Array.isArray(result)) throw ApiError.badRequest('the patch did not produce an object');
            warnings = checkPatchedFields(result, schema, validation, def.kind, def.version);
            return result;
          },
          { dryRun, manager, user, subresource: subresource || undefined },
        );
        if (warnings.length > 0) res.setHeader('Warning', warnings.map(warningHeader));
        if (!dryRun) noteStored(res, written, String(stored.revision));
        return writeRawJson(req, res, 200, stored.json());
      }
      default:
        throw ApiError.methodNotSupported(store.groupResource(), info.verb);
    }
  }

  private applyDependencies(def: ResourceDefinition): ApplyDependencies {
    const fieldManager = this.opts.fieldManager;
    return {
      apply: (live, config, request) => fieldManager.apply(def, live, config, request),
      fieldSchema: fieldManager.schema(def.group, def.version, def.kind),
      structuralSchema: this.opts.schemaFor(def.group, def.version, def.kind),
    };
  }

  private scaleApplyDependencies(): ApplyDependencies {
    const fieldManager = this.opts.fieldManager;
    const fieldSchema = fieldManager.schema('autoscaling', 'v1', 'Scale');
    return {
      apply: (live, config, request) => fieldManager.applyWith(fieldSchema, 'autoscaling/v1', live, config, request),
      fieldSchema,
      structuralSchema: this.opts.schemaFor('autoscaling', 'v1', 'Scale'),
    };
  }

  private async decode(req: ServerRequest, store: ResourceStore, query: URLSearchParams, res: ServerResponse): Promise<KubeObject> {
    const def = store.def;
    const validation = parseFieldValidation(query.get('fieldValidation'));
    const body = await readBody(req);
    const decoded = decodeObjectBody(body, {
      contentType: req.headers['content-type'],
      validation,
      kind: def.kind,
      version: def.version,
      schema: this.opts.schemaFor(def.group, def.version, def.kind),
    });
    if (decoded.warnings.length > 0) res.setHeader('Warning', decoded.warnings.map(warningHeader));
    noteRequestObject(req, decoded.object);
    return decoded.object;
  }
}

/**
 * The field manager of a write: the fieldManager parameter, else (as upstream) the User-Agent up to its first '/'.
 * At most 128 printable characters.
 */
function fieldManager(req: ServerRequest, query: URLSearchParams): string {
  const given = query.get('fieldManager');
  const manager = given ?? (req.headers['user-agent'] ?? '').split('/')[0]!.slice(0, 128);
  if (given !== null && (given.length > 128 || !/^[\x20-\x7e]*$/.test(given))) {
    throw new ApiError({
      code: 422,
      reason: 'Invalid',
      message: `fieldManager: Invalid value: ${JSON.stringify(given)}: must be printable and at most 128 characters`,
      details: {},
    });
  }
  return manager;
}

function parseDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values) if (v !== 'All') throw ApiError.badRequest(`Invalid dry run value: ${v}; supported values: "All"`);
  return values.length > 0;
}

async function deleteOptions(req: ServerRequest, query: URLSearchParams): Promise<DeleteOptions> {
  const body = await readBody(req);
  let options: DeleteOptions = {};
  if (body.length > 0) {
    try {
      options = JSON.parse(body.toString('utf8')) as DeleteOptions;
    } catch (err) {
      throw ApiError.badRequest(`DeleteOptions in version "v1" cannot be handled as a DeleteOptions: ${(err as Error).message}`);
    }
  }
  const grace = query.get('gracePeriodSeconds');
  if (grace !== null && grace !== '') {
    if (!/^-?\d+$/.test(grace)) throw ApiError.badRequest(`invalid gracePeriodSeconds: ${grace}`);
    options.gracePeriodSeconds = Number(grace);
  }
  const policy = query.get('propagationPolicy');
  if (policy) options.propagationPolicy = policy;
  if (options.propagationPolicy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(options.propagationPolicy)) {
    throw new ApiError({
      code: 422,
      reason: 'Invalid',
      message: `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${options.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`,
    });
  }
  return options;
}

function successStatus(store: ResourceStore, obj: KubeObject): object {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: obj.metadata?.name ?? '', ...(store.def.group ? { group: store.def.group } : {}), kind: store.def.resource, uid: obj.metadata?.uid ?? '' },
  };
}

/**
 * The namespace ('' when cluster-scoped) and name of a cached object, read from its storage key
 * (`<prefix><namespace>/<name>` or `<prefix><name>`) without decoding the object.
 */
function objectCoordinates(def: ResourceDefinition, obj: CachedObject): { namespace: string; name: string } {
  return keyCoordinates(def, obj.key) ?? { namespace: obj.namespace ?? '', name: obj.name };
}
