import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { DeleteOptions } from 'kubernetes-types/meta/v1.js';
import { ApiError, generateName, materializeZeroValues, type FieldError } from '../../api/index.js';
import { isStorageError, StorageError } from '../../storage/index.js';
import type { UserInfo } from '../authn/index.js';
import type { KubeObject } from '../kube-object.js';
import { Cacher } from '../watch-cache/cacher.js';
import { CachedObject } from '../watch-cache/cached-object.js';
import { apiVersionOf, type ResourceDefinition, type StoreEnvironment } from './resource-definition.js';
import { cachedFromStorage, rfc3339 } from './object-codec.js';
import { ResourceReader } from './resource-reader.js';
import { deletionFinalizers } from './deletion-finalizers.js';
import { copyJson } from '../../lib/index.js';

export interface WriteOptions {
  readonly dryRun?: boolean;
  /** Who writes: the fieldManager recorded in metadata.managedFields (none: not tracked). */
  readonly manager?: string;
  /** The object's metadata.managedFields were computed by server-side apply: store them as they are. */
  readonly applied?: boolean;
  /** Who asked for the write, for validating admission (absent for the server's own writes). */
  readonly user?: UserInfo;
}

/** What an update stored. */
export interface StoredUpdate {
  /** The object as stored: its JSON from the stored text, decoded only when looked into. */
  readonly stored: CachedObject;
  /** The object the write was built as in memory (metadata.resourceVersion may be unset): for noting what was stored. */
  readonly written: KubeObject;
}

export interface DeleteOutcome {
  /** The object as deleted (or as marked for deletion). */
  readonly object: KubeObject;
  /** False when the object was only marked (graceful deletion, finalizers): the answer is then 202 for some clients. */
  readonly removed: boolean;
}

const GENERATE_NAME_ATTEMPTS = 7;

/**
 * The generic REST store of one resource (upstream's registry/generic/registry.Store): create, update and delete
 * against storage with the strategy's hooks, reads from the watch cache (see ResourceReader).
 */
export class ResourceStore extends ResourceReader {
  constructor(
    def: ResourceDefinition,
    private readonly env: StoreEnvironment,
    cacher: Cacher,
  ) {
    super(def, env, cacher);
  }

  static create(def: ResourceDefinition, env: StoreEnvironment, historySize?: number): ResourceStore {
    const cacher = new Cacher({ storage: env.storage, prefix: def.keyPrefix, decode: (kv) => cachedFromStorage(def, kv), historySize });
    return new ResourceStore(def, env, cacher);
  }

  async create(namespace: string, obj: KubeObject, options: WriteOptions = {}): Promise<CachedObject> {
    const def = this.def;
    this.checkTypeAndNamespace(obj, namespace);
    const meta = (obj.metadata ??= {});
    if (meta.resourceVersion) throw ApiError.badRequest('resourceVersion should not be set on objects to be created');
    this.env.defaults(def.group, def.version, def.kind, obj);
    // As upstream's create handler, managed fields are recorded from the decoded, defaulted object before admission:
    // what admission adds (a Pod's service account volume, tolerations, priority) is no manager's.
    if (!options.applied) {
      materializeZeroValues(def.group, def.kind, obj);
      dropEmpty(obj, def.strategy.omitWhenEmpty);
      this.trackFields(undefined, obj, options.manager, undefined);
    }
    // NamespaceLifecycle admission runs before the name is generated and before validation.
    if (def.namespaced) await this.checkNamespaceAcceptsCreate(namespace, meta.name || meta.generateName || 'Unknown');
    await this.env.admitCreate?.(def, namespace, obj);
    await this.env.validateWrite?.({ operation: 'CREATE', def, subresource: '', namespace, name: meta.name ?? '', object: obj, user: options.user });
    for (const field of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink'] as const) delete meta[field];
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(this.env.clock.now());
    def.strategy.prepareForCreate?.(obj);
    try {
      return await this.finishCreate(namespace, obj, options);
    } catch (err) {
      def.strategy.afterCreateFailure?.(obj);
      throw err;
    }
  }

  private async finishCreate(namespace: string, obj: KubeObject, options: WriteOptions): Promise<CachedObject> {
    const def = this.def;
    const meta = obj.metadata!;
    materializeZeroValues(def.group, def.kind, obj);
    dropEmpty(obj, def.strategy.omitWhenEmpty);
    if (def.strategy.generation) meta.generation = 1;
    else delete meta.generation;
    const generated = !meta.name && !!meta.generateName;
    if (generated) meta.name = generateName(meta.generateName!);
    this.validateOrThrow(obj, undefined);
    if (options.dryRun) {
      def.strategy.afterCreateFailure?.(obj);
      return new CachedObject(this.key(namespace, meta.name!), obj, 0);
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const kv = await this.env.storage.create(this.key(namespace, meta.name!), this.encode(obj), { ttlSeconds: def.strategy.ttlSeconds });
        return this.cached(kv);
      } catch (err) {
        if (isStorageError(err, 'KeyExists')) {
          if (generated && attempt < GENERATE_NAME_ATTEMPTS) {
            meta.name = generateName(meta.generateName!);
            continue;
          }
          throw ApiError.alreadyExists(this.groupResource(), meta.name!);
        }
        throw this.storageError(err, meta.name!);
      }
    }
  }

  /**
   * PUT: replaces the object. With metadata.resourceVersion the write is a compare-and-swap at that version; without
   * it the strategy must allow an unconditional update. `subresource` 'status' keeps everything but status.
   */
  async update(
    namespace: string,
    name: string,
    obj: KubeObject,
    options: WriteOptions & { subresource?: string } = {},
  ): Promise<StoredUpdate & { created: boolean }> {
    const def = this.def;
    this.checkTypeAndNamespace(obj, namespace);
    const meta = (obj.metadata ??= {});
    if (meta.name !== undefined && meta.name !== name) {
      throw ApiError.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    }
    meta.name = name;
    const requested = meta.resourceVersion ? Number(meta.resourceVersion) : undefined;
    if (meta.resourceVersion && !Number.isInteger(requested)) {
      throw this.invalid(name, [{ type: 'FieldValueInvalid', field: 'metadata.resourceVersion', badValue: meta.resourceVersion, detail: 'must be a valid resourceVersion' } as unknown as FieldError]);
    }
    const key = this.key(namespace, name);
    for (;;) {
      const current = await this.env.storage.get(key);
      if (!current) {
        if (!def.strategy.allowCreateOnUpdate || options.subresource) {
          // upstream admits the new object as a create before finding there is nothing to update.
          await this.env.validateWrite?.({ operation: 'CREATE', def, subresource: options.subresource ?? '', namespace, name, object: obj, user: options.user });
          throw ApiError.notFound(this.groupResource(), name);
        }
        delete meta.resourceVersion;
        return { stored: await this.create(namespace, obj, options), written: obj, created: true };
      }
      if (requested === undefined && !def.strategy.allowUnconditionalUpdate) {
        throw this.invalid(name, [{ type: 'FieldValueInvalid', field: 'metadata.resourceVersion', badValue: 0, detail: 'must be specified for an update' } as unknown as FieldError]);
      }
      if (requested !== undefined && requested !== current.modRevision) throw this.conflict(name);
      const old = this.decode(current);
      const next = this.prepareUpdate(copyJson(obj), old, options.subresource, options.manager, false);
      await this.validateUpdate(namespace, name, next, old, options);
      const written = await this.write(key, current.modRevision, next, old, options);
      if (written === 'conflict') {
        if (requested !== undefined) throw this.conflict(name);
        continue;
      }
      return { ...written, created: false };
    }
  }

  /**
   * Read-modify-write used by PATCH and by server-side changes: `fn` gets the current object (a copy) and returns
   * the desired one; the write retries on conflict with a fresh read.
   */
  async guaranteedUpdate(
    namespace: string,
    name: string,
    fn: (current: KubeObject) => KubeObject | Promise<KubeObject>,
    options: WriteOptions & { subresource?: string } = {},
  ): Promise<KubeObject> {
    return (await this.guaranteedUpdateStored(namespace, name, fn, options)).stored.object;
  }

  /**
   * guaranteedUpdate, answering with the stored object's JSON and the object written rather than decoding it back.
   * As upstream's Cacher.GuaranteedUpdate, the first attempt starts from the watch cache's copy of the object (no
   * storage read, no decoding); the write is a compare-and-swap at that copy's revision, and whatever went wrong
   * from it (a newer version stored, a precondition or validation failing, nothing to change) is tried again from a
   * fresh read before it is answered.
   */
  async guaranteedUpdateStored(
    namespace: string,
    name: string,
    fn: (current: KubeObject) => KubeObject | Promise<KubeObject>,
    options: WriteOptions & { subresource?: string } = {},
  ): Promise<StoredUpdate> {
    const key = this.key(namespace, name);
    let hint = this.cacher.ready() ? this.cacher.get(key) : undefined;
    for (;;) {
      const fromCache = hint !== undefined;
      let old: KubeObject;
      let modRevision: number;
      if (hint !== undefined) {
        old = copyJson(hint.object);
        modRevision = hint.revision;
        hint = undefined;
      } else {
        const current = await this.env.storage.get(key);
        if (!current) throw ApiError.notFound(this.groupResource(), name);
        old = this.decode(current);
        modRevision = current.modRevision;
      }
      let next: KubeObject;
      try {
        // The function gets its own copy to change; `old` stays as stored.
        const desired = await fn(copyJson(old));
        const rv = desired.metadata?.resourceVersion;
        if (rv && rv !== String(modRevision)) throw this.conflict(name);
        this.checkTypeAndNamespace(desired, namespace);
        next = this.prepareUpdate(desired, old, options.subresource, options.manager, options.applied === true);
        await this.validateUpdate(namespace, name, next, old, options);
      } catch (err) {
        if (fromCache) continue;
        throw err;
      }
      const written = await this.write(key, modRevision, next, old, options, fromCache);
      if (written !== 'conflict') return written;
    }
  }

  /**
   * Server-side apply: `fn` gets the stored object (a copy; undefined when there is none) and returns the
   * object to write with its managedFields already computed. A missing object is created, except on a
   * subresource. Retries on conflict with a fresh read.
   */
  async apply(
    namespace: string,
    name: string,
    fn: (current: KubeObject | undefined) => KubeObject,
    options: WriteOptions & { subresource?: string } = {},
  ): Promise<{ object: KubeObject; created: boolean }> {
    for (;;) {
      if (options.subresource !== undefined || (await this.env.storage.get(this.key(namespace, name)))) {
        try {
          return { object: await this.guaranteedUpdate(namespace, name, fn, { ...options, applied: true }), created: false };
        } catch (err) {
          if (options.subresource !== undefined || !(err instanceof ApiError && err.status.reason === 'NotFound' && err.status.details?.name === name)) throw err;
        }
      }
      try {
        const created = await this.create(namespace, fn(undefined), { ...options, applied: true });
        return { object: created.object, created: true };
      } catch (err) {
        if (err instanceof ApiError && err.status.reason === 'AlreadyExists') continue;
        throw err;
      }
    }
  }

  /** `writeOptions.subresource` names what asked for the deletion (`eviction`), for admission. */
  async delete(namespace: string, name: string, options: DeleteOptions = {}, writeOptions: WriteOptions & { subresource?: string } = {}): Promise<DeleteOutcome> {
    const key = this.key(namespace, name);
    for (;;) {
      const current = await this.env.storage.get(key);
      if (!current) throw ApiError.notFound(this.groupResource(), name);
      const obj = this.decode(current);
      const meta = obj.metadata!;
      const pre = options.preconditions;
      // upstream's BeforeDelete names the kind, not the resource, in these conflicts.
      const byKind = { group: this.def.group, resource: this.def.kind };
      if (pre?.uid && pre.uid !== meta.uid) {
        throw ApiError.conflict(byKind, name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${meta.uid ?? ''}). The object might have been deleted and then recreated`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
        throw ApiError.conflict(byKind, name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${meta.resourceVersion ?? ''}). The object might have been modified`);
      }
      await this.env.validateWrite?.({ operation: 'DELETE', def: this.def, subresource: writeOptions.subresource ?? '', namespace, name, object: obj, user: writeOptions.user });
      const own = this.def.strategy.beginDelete?.(copyJson(obj), options, rfc3339(this.env.clock.now()));
      if (own === 'unchanged') return { object: obj, removed: false };
      const marked = own ?? this.markForDeletion(copyJson(obj), options);
      if (marked) {
        if (writeOptions.dryRun) return { object: marked, removed: false };
        const written = await this.write(key, current.modRevision, marked, obj, {});
        if (written === 'conflict') continue;
        return { object: written.stored.object, removed: false };
      }
      if (writeOptions.dryRun) return { object: obj, removed: true };
      try {
        const res = await this.env.storage.delete(key, current.modRevision);
        const removed = this.decode({ ...res.prev, modRevision: res.revision });
        this.def.strategy.afterDelete?.(removed);
        return { object: removed, removed: true };
      } catch (err) {
        if (isStorageError(err, 'Conflict')) continue;
        if (isStorageError(err, 'NotFound')) throw ApiError.notFound(this.groupResource(), name);
        throw this.storageError(err, name);
      }
    }
  }

  /**
   * Graceful deletion and finalizers: returns the object marked with deletionTimestamp when it must stay for now,
   * or undefined when it can be removed at once.
   */
  private markForDeletion(obj: KubeObject, options: DeleteOptions): KubeObject | undefined {
    const meta = obj.metadata!;
    const finalizers = new Set(deletionFinalizers(meta.finalizers ?? [], options, this.def.strategy.defaultGarbageCollectionPolicy));
    const changed = finalizers.size !== (meta.finalizers ?? []).length || (meta.finalizers ?? []).some((f) => !finalizers.has(f));
    const grace = this.def.strategy.gracePeriodSeconds?.(obj, options.gracePeriodSeconds ?? undefined) ?? 0;
    if (finalizers.size === 0 && grace === 0) return undefined;
    const now = this.env.clock.now();
    if (meta.deletionTimestamp === undefined || meta.deletionTimestamp === null) {
      meta.deletionTimestamp = rfc3339(now + grace * 1000);
      meta.deletionGracePeriodSeconds = grace;
    } else if (grace < (meta.deletionGracePeriodSeconds ?? 0)) {
      meta.deletionTimestamp = rfc3339(now + grace * 1000);
      meta.deletionGracePeriodSeconds = grace;
    } else if (!changed) {
      return obj;
    }
    meta.finalizers = finalizers.size > 0 ? [...finalizers] : undefined;
    if (meta.finalizers === undefined) delete meta.finalizers;
    return obj;
  }

  private async validateUpdate(namespace: string, name: string, next: KubeObject, old: KubeObject, options: WriteOptions & { subresource?: string }): Promise<void> {
    const { subresource, user } = options;
    await this.env.validateWrite?.({ operation: 'UPDATE', def: this.def, subresource: subresource ?? '', namespace, name, object: next, oldObject: old, user });
  }

  /** Builds the object to store from a client's desired state and the stored one. */
  private prepareUpdate(obj: KubeObject, old: KubeObject, subresource: string | undefined, manager: string | undefined, applied: boolean): KubeObject {
    const def = this.def;
    const meta = (obj.metadata ??= {});
    const oldMeta = old.metadata!;
    meta.namespace = oldMeta.namespace;
    meta.uid = oldMeta.uid;
    meta.creationTimestamp = oldMeta.creationTimestamp;
    meta.deletionTimestamp = oldMeta.deletionTimestamp;
    meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    if (meta.deletionTimestamp === undefined) delete meta.deletionTimestamp;
    if (meta.deletionGracePeriodSeconds === undefined) delete meta.deletionGracePeriodSeconds;
    if (meta.generateName === undefined && oldMeta.generateName !== undefined) meta.generateName = oldMeta.generateName;
    obj.kind = old.kind;
    obj.apiVersion = old.apiVersion;
    // A binding is the server's own assignment of spec.nodeName (and PodScheduled): no update rules apply to it.
    const binding = subresource === 'binding';
    if (subresource === 'status') {
      def.strategy.prepareForStatusUpdate?.(obj, old);
    } else if (subresource === 'finalize') {
      def.strategy.prepareForFinalizeUpdate?.(obj, old);
    } else if (!binding) {
      this.env.defaults(def.group, def.version, def.kind, obj);
      def.strategy.prepareForUpdate?.(obj, old);
    }
    materializeZeroValues(def.group, def.kind, obj);
    dropEmpty(obj, def.strategy.omitWhenEmpty);
    if (def.strategy.generation) {
      const gen = oldMeta.generation ?? 1;
      const annotationsChanged = def.strategy.generationOnAnnotations === true && subresource === undefined && !isDeepStrictEqual(meta.annotations ?? {}, oldMeta.annotations ?? {});
      meta.generation = specChanged(obj, old) || annotationsChanged ? gen + 1 : gen;
    }
    if (!binding) this.validateOrThrow(obj, old, subresource);
    if (!applied) {
      // A client may send managedFields to change them; without any, the stored ones stay.
      if (meta.managedFields === undefined || subresource !== undefined) meta.managedFields = oldMeta.managedFields;
      this.trackFields(old, obj, manager, subresource);
    }
    return obj;
  }

  /**
   * Compare-and-swap of `next` over `old`, stored at `modRevision`; a no-op write is skipped, as upstream's
   * GuaranteedUpdate does, unless `old` came from the watch cache (`cached`): then it answers 'conflict' so that the
   * caller checks against a fresh read that there is indeed nothing to change.
   */
  private async write(key: string, modRevision: number, next: KubeObject, old: KubeObject, options: WriteOptions, cached = false): Promise<StoredUpdate | 'conflict'> {
    const inMemory = (object: KubeObject, revision: number): StoredUpdate => ({ stored: new CachedObject(key, object, revision), written: object });
    if (isDeepStrictEqual(next, old)) return cached ? 'conflict' : inMemory(old, modRevision);
    if ((this.def.strategy.shouldDeleteDuringUpdate ?? finalizedDuringUpdate)(next, old)) {
      if (options.dryRun) return inMemory(next, modRevision);
      try {
        const res = await this.env.storage.delete(key, modRevision);
        const removed = this.decode({ ...res.prev, modRevision: res.revision });
        this.def.strategy.afterDelete?.(removed);
        return inMemory(removed, res.revision);
      } catch (err) {
        if (isStorageError(err, 'Conflict') || isStorageError(err, 'NotFound')) return 'conflict';
        throw this.storageError(err, next.metadata?.name ?? '');
      }
    }
    const encoded = this.encode(next);
    if (options.dryRun) return inMemory(next, modRevision);
    try {
      const kv = await this.env.storage.update(key, encoded, modRevision, { ttlSeconds: this.def.strategy.ttlSeconds });
      return { stored: this.cached(kv), written: next };
    } catch (err) {
      if (isStorageError(err, 'Conflict') || isStorageError(err, 'NotFound')) return 'conflict';
      throw this.storageError(err, next.metadata?.name ?? '');
    }
  }

  /** Records `manager`'s Update in metadata.managedFields (left as is when nobody is named). */
  private trackFields(old: KubeObject | undefined, obj: KubeObject, manager: string | undefined, subresource: string | undefined): void {
    const meta = obj.metadata!;
    if (manager === undefined) {
      if (!old) delete meta.managedFields;
      return;
    }
    const entries = this.env.managedFields(this.def, old, obj, manager, subresource);
    if (entries.length > 0) meta.managedFields = entries as typeof meta.managedFields;
    else delete meta.managedFields;
  }

  private validateOrThrow(obj: KubeObject, old: KubeObject | undefined, subresource?: string): void {
    const def = this.def;
    const errors: FieldError[] = this.env.validate(def.group, def.version, def.kind, obj, old, subresource);
    const own = old ? def.strategy.validateUpdate?.(obj, old) : def.strategy.validate?.(obj);
    if (own) errors.push(...own);
    if (errors.length > 0) throw this.invalid(obj.metadata?.name ?? obj.metadata?.generateName ?? '', errors);
  }

  private checkTypeAndNamespace(obj: KubeObject, namespace: string): void {
    const def = this.def;
    const expected = apiVersionOf(def);
    if (obj.apiVersion !== undefined && obj.apiVersion !== '' && obj.apiVersion !== expected) {
      throw ApiError.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`);
    }
    if (obj.kind !== undefined && obj.kind !== '' && obj.kind !== def.kind) {
      throw ApiError.badRequest(`${obj.kind} in version "${def.version}" cannot be handled as a ${def.kind}: the object provided is unrecognized (must be of type ${def.kind})`);
    }
    obj.apiVersion = expected;
    obj.kind = def.kind;
    const meta = (obj.metadata ??= {});
    if (def.namespaced) {
      if (meta.namespace && meta.namespace !== namespace) {
        throw ApiError.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace;
    } else {
      delete meta.namespace;
    }
  }

  /** NamespaceLifecycle on create: the namespace must exist (404) and not be terminating (403, naming the object as requested). */
  private async checkNamespaceAcceptsCreate(namespace: string, name: string): Promise<void> {
    const phase = await this.env.namespacePhase(namespace);
    if (phase === 'Missing') throw ApiError.notFound({ group: '', resource: 'namespaces' }, namespace);
    if (phase === 'Terminating') {
      const err = ApiError.forbidden(this.groupResource(), name, `unable to create new content in namespace ${namespace} because it is being terminated`);
      // The cause controllers look for (HasStatusCause NamespaceTerminating).
      const cause = { reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' };
      err.status.details = { ...err.status.details, causes: [...(err.status.details?.causes ?? []), cause] };
      throw err;
    }
  }

  private invalid(name: string, errors: readonly FieldError[]): ApiError {
    return ApiError.invalid({ group: this.def.group, kind: this.def.kind }, name, errors);
  }

  private conflict(name: string): ApiError {
    return ApiError.conflict(this.groupResource(), name, 'the object has been modified; please apply your changes to the latest version and try again');
  }

  private storageError(err: unknown, name: string): unknown {
    if (!(err instanceof StorageError)) return err;
    if (err.code === 'TooLarge') return ApiError.requestEntityTooLarge('etcdserver: request is too large');
    if (err.code === 'Timeout') return ApiError.serverTimeout(this.groupResource(), 'write', 2);
    if (err.code === 'Unavailable') return ApiError.serviceUnavailable(`storage is unavailable: ${err.message}`);
    return ApiError.internal(`${name}: ${err.message}`);
  }
}

/**
 * upstream's ShouldDeleteDuringUpdate: an update that removes the last finalizer of an object already being
 * deleted with no grace period left removes the object.
 */
function finalizedDuringUpdate(next: KubeObject, old: KubeObject): boolean {
  const meta = old.metadata ?? {};
  return (next.metadata?.finalizers ?? []).length === 0 && (meta.finalizers ?? []).length > 0 && !!meta.deletionTimestamp && meta.deletionGracePeriodSeconds === 0;
}

const OMIT_WHEN_EMPTY = ['labels', 'annotations', 'finalizers', 'ownerReferences', 'managedFields'] as const;

const isEmpty = (v: unknown): boolean => v === null || (typeof v === 'object' && Object.keys(v as object).length === 0);

/** Go's omitempty: ObjectMeta's maps and lists, and the kind's own such fields, are not stored or returned when empty. */
function dropEmpty(obj: KubeObject, topLevel: readonly string[] = []): void {
  const meta = obj.metadata as Record<string, unknown> | undefined;
  if (meta) for (const k of OMIT_WHEN_EMPTY) if (k in meta && isEmpty(meta[k])) delete meta[k];
  for (const k of topLevel) if (k in obj && isEmpty(obj[k])) delete obj[k];
}

/** Whether anything but metadata and status differs (the generation rule of upstream's strategies). */
function specChanged(obj: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { metadata: _m, status: _s, kind: _k, apiVersion: _a, ...rest } = o;
    return rest;
  };
  return !isDeepStrictEqual(strip(obj), strip(old));
}

