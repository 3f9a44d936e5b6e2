import type { KubeObject } from '../kube-object.js';

/** `{"kind":"…","apiVersion":"…"` with plain string values, as JSON.stringify writes them. */
const PLAIN_HEAD = /^\{"kind":"[^"\\]*","apiVersion":"[^"\\]*"(?=[,}])/;

/**
 * One object as the watch cache holds it, with `metadata.resourceVersion` set. Its JSON is produced at most once
 * (usually straight from the stored text, see `storedJson`) and its decoded form only when something needs to
 * look inside (selectors, updates). Treat `object` as immutable: everything that reads it shares it.
 */
export class CachedObject {
  private serialized: string | undefined;
  private decoded: KubeObject | undefined;
  private loader: (() => KubeObject) | undefined;
  private superseded = false;

  constructor(
    readonly key: string,
    object: KubeObject | (() => KubeObject),
    readonly revision: number,
    json?: string,
  ) {
    if (typeof object === 'function') this.loader = object;
    else this.decoded = object;
    this.serialized = json;
  }

  get object(): KubeObject {
    if (this.decoded !== undefined) return this.decoded;
    const object = this.loader!();
    // A superseded version is decoded again each time it is looked into (rarely: a watcher resuming from history).
    if (!this.superseded) {
      this.decoded = object;
      this.loader = undefined;
    }
    return object;
  }

  /**
   * Called once a newer version (or the deletion) has replaced this one in the cache and been offered to every
   * watcher: its decoded form is dropped, and only its JSON kept for watchers that resume from history, so the cache
   * holds one decoded object per key rather than one per retained event.
   */
  supersede(): void {
    const json = this.json();
    this.superseded = true;
    this.decoded = undefined;
    this.loader ??= () => JSON.parse(json) as KubeObject;
  }

  /**
   * The decoded object with every object in it frozen: what readers elsewhere in the process (in-process watches) are
   * given to share. Changing a field throws, where it would otherwise change what every other reader sees. Arrays are
   * left as they are: V8 runs `find`, iteration and spreading over frozen arrays several times slower (a ReplicaSet's
   * sync over 10,000 Pods took 2.5× as long), and they are only ever read or replaced.
   */
  frozenObject(): KubeObject {
    const object = this.object;
    if (!Object.isFrozen(object)) freezeObjects(object);
    return object;
  }

  get namespace(): string | undefined {
    return this.object.metadata?.namespace;
  }

  get name(): string {
    return this.object.metadata?.name ?? '';
  }

  /** The object's JSON, computed on first use and then reused for every client and watcher. */
  json(): string {
    this.serialized ??= JSON.stringify(this.object);
    return this.serialized;
  }

  /** The JSON as a list item: without kind and apiVersion, as upstream's list encoding has its items. */
  itemJson(): string {
    const json = this.json();
    // The usual layout (kind and apiVersion first, plain strings) is recognised from the text, without decoding.
    const plain = PLAIN_HEAD.exec(json);
    const head = plain !== null ? plain[0] : this.typeHead();
    if (head === undefined || !json.startsWith(head)) return json;
    return json.length === head.length + 1 ? '{}' : `{${json.slice(head.length + 1)}`;
  }

  private typeHead(): string | undefined {
    const { kind, apiVersion } = this.object;
    if (kind === undefined || apiVersion === undefined) return undefined;
    return `{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(apiVersion)}`;
  }

  /** The same object presented at another revision (a DELETED event carries the deletion's revision). */
  atRevision(revision: number): CachedObject {
    if (revision === this.revision) return this;
    const object = { ...this.object, metadata: { ...this.object.metadata, resourceVersion: String(revision) } };
    return new CachedObject(this.key, object, revision);
  }
}

export type CacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  readonly type: CacheEventType;
  readonly revision: number;
  readonly key: string;
  /** The object after the change; for DELETED the last state, at the deletion's revision. */
  readonly object: CachedObject;
  /** The object before the change (MODIFIED and DELETED). */
  readonly prev?: CachedObject;
}

/** Freezes every object reachable from `value` (plain JSON data), innermost first; arrays are walked, not frozen. */
function freezeObjects(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  if (Array.isArray(value)) {
    for (const v of value) freezeObjects(v);
    return;
  }
  const record = value as Record<string, unknown>;
  // for…in rather than Object.values: no array per object (decoded JSON has no inherited enumerable keys).
  for (const key in record) freezeObjects(record[key]);
  Object.freeze(value);
}
