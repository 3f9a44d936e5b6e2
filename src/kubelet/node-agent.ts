import type { Node } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { isAlreadyExists, isConflict, isNotFound } from '../api/index.js';
import { formatMicroTime, type ResourceClient } from '../client/index.js';
import { type Clock, sleep } from '../lib/index.js';
import { Heartbeats } from './heartbeats.js';
import type { NodeConfig } from './node-config.js';
import { buildNode, buildNodeStatus, nodeStatusChanged } from './node-status.js';

export interface NodeAgentOptions {
  readonly config: NodeConfig;
  readonly nodes: ResourceClient<Node>;
  readonly leases: ResourceClient<Lease>;
  readonly clock: Clock;
  /** The Node as the process's node informer last saw it (undefined before it exists). */
  readonly currentNode: () => Node | undefined;
  /** Lease duration (40 s); the Lease is renewed every quarter of it (10 s). */
  readonly leaseDurationSeconds?: number;
  /** How often the status is computed and compared (nodeStatusUpdateFrequency, 10 s). */
  readonly statusUpdateFrequencyMs?: number;
  /** How often an unchanged status is written anyway (nodeStatusReportFrequency, 5 min). */
  readonly statusReportFrequencyMs?: number;
  readonly log?: (message: string) => void;
}

const LEASE_NAMESPACE = 'kube-node-lease';
const LEASE_TAIL = '"}}';

/**
 * A Lease's update body in pieces: `head + JSON string of the resourceVersion + middle + renewTime + LEASE_TAIL`.
 * managedFields are left out (the server keeps the stored ones when an update carries none, as upstream's does).
 */
interface EncodedLease {
  readonly head: string;
  readonly middle: string;
  resourceVersion: string;
}

/** Encodes the Lease as the API server returned it, for updates that change only its renewTime. */
export function encodeLease(lease: Lease): EncodedLease {
  const { resourceVersion, managedFields: _managed, ...metadata } = lease.metadata ?? {};
  const { renewTime: _renew, ...spec } = lease.spec ?? {};
  const meta = JSON.stringify(metadata);
  const specJson = JSON.stringify(spec);
  return {
    head: '{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"resourceVersion":',
    middle: `${meta === '{}' ? '}' : `,${meta.slice(1)}`},"spec":${specJson === '{}' ? '{' : `${specJson.slice(0, -1)},`}"renewTime":"`,
    resourceVersion: JSON.stringify(resourceVersion ?? ''),
  };
}

const RV_KEY = Buffer.from('"resourceVersion":"');

/**
 * The resourceVersion of an object in the server's JSON answer (as a JSON string), read without decoding the rest;
 * decoded in full when the key shows up more than once (a label or annotation of that name).
 */
export function resourceVersionOf(body: Buffer): string {
  const at = body.indexOf(RV_KEY);
  if (at >= 0 && body.indexOf(RV_KEY, at + RV_KEY.length) < 0) {
    const start = at + RV_KEY.length;
    const end = body.indexOf(0x22, start);
    const rv = body.toString('latin1', start, end);
    // resourceVersions are digits; anything else (an escape) takes the slow path.
    if (end > start && /^[0-9]+$/.test(rv)) return `"${rv}"`;
  }
  const parsed = JSON.parse(body.toString('utf8')) as Lease;
  return JSON.stringify(parsed.metadata?.resourceVersion ?? '');
}

/**
 * One node's registration and heartbeats: creates the Node (or adopts the existing one), then renews the Lease
 * `kube-node-lease/<node>` every leaseDuration/4 and writes the node status when it changed or every report period.
 * Failures are retried on the next tick (registration with backoff up to 7 s, as upstream).
 */
export class NodeAgent {
  /** The Lease we hold, encoded for the next update. */
  private lease: EncodedLease | undefined;
  private nodeUid: string | undefined;
  private lastReport = 0;
  /** The Node's resourceVersion last found equal to what we would write: unchanged, it needs no new comparison. */
  private comparedVersion: string | undefined;
  private readonly leaseDuration: number;
  private readonly log: (m: string) => void;
  registered = false;

  constructor(private readonly o: NodeAgentOptions) {
    this.leaseDuration = o.leaseDurationSeconds ?? 40;
    this.log = o.log ?? (() => {});
  }

  get nodeName(): string {
    return this.o.config.nodeName;
  }

  /**
   * Registers, then heartbeats until the signal aborts: on `heartbeats` when given (the timer the nodes of a process
   * share, stopped by the same signal), else on a scheduler of its own.
   */
  async run(signal: AbortSignal, heartbeats?: Heartbeats): Promise<void> {
    await this.register(signal);
    if (signal.aborted) return;
    const beats = heartbeats ?? new Heartbeats(this.o.clock, signal);
    const onError = (err: unknown) => {
      if (!signal.aborted) this.log(`node ${this.nodeName}: ${String(err)}`);
    };
    beats.every((this.leaseDuration * 1000) / 4, () => this.renewLease(), onError);
    beats.every(this.o.statusUpdateFrequencyMs ?? 10_000, () => this.updateStatus(), onError);
    await beats.done;
  }

  /** Creates the Node, or takes the one that exists; resolves once registered (or aborted). */
  async register(signal: AbortSignal): Promise<void> {
    for (let delay = 100; !signal.aborted; delay = Math.min(delay * 2, 7000)) {
      try {
        const node = buildNode(this.o.config, this.o.clock.now());
        try {
          const created = await this.o.nodes.create('', node, {}, signal);
          this.nodeUid = created.metadata?.uid;
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
          const existing = await this.o.nodes.get('', this.nodeName, signal);
          this.nodeUid = existing.metadata?.uid;
          await this.o.nodes.patch('', this.nodeName, 'merge', { status: buildNodeStatus(this.o.config, existing.status, this.o.clock.now()) }, { subresource: 'status' }, signal);
        }
        this.lastReport = this.o.clock.now();
        this.registered = true;
        await this.renewLease(signal);
        return;
      } catch (err) {
        if (signal.aborted) return;
        this.log(`node ${this.nodeName}: unable to register: ${String(err)}`);
        await sleep(this.o.clock, delay, signal);
      }
    }
  }

  /**
   * One renewal: update the Lease we hold (creating it when missing, re-reading it on a conflict). The update of the
   * Lease we wrote last is sent from a body encoded once, with only resourceVersion and renewTime spliced in, and
   * only the new resourceVersion is read from the answer.
   */
  async renewLease(signal?: AbortSignal): Promise<void> {
    const now = formatMicroTime(this.o.clock.now());
    const leases = this.o.leases;
    const held = this.lease;
    if (held) {
      try {
        const answer = await leases.updateEncoded(LEASE_NAMESPACE, this.nodeName, held.head + held.resourceVersion + held.middle + now + LEASE_TAIL, signal);
        held.resourceVersion = resourceVersionOf(answer);
        return;
      } catch (err) {
        if (!isConflict(err) && !isNotFound(err)) throw err;
        this.lease = undefined;
      }
    }
    let current: Lease | undefined;
    try {
      current = await leases.get(LEASE_NAMESPACE, this.nodeName, signal);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const spec = { holderIdentity: this.nodeName, leaseDurationSeconds: this.leaseDuration, renewTime: now };
    const ownerReferences = this.nodeUid ? [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid: this.nodeUid }] : undefined;
    const written = current
      ? await leases.update(LEASE_NAMESPACE, { ...current, metadata: { ...current.metadata, ownerReferences: current.metadata?.ownerReferences ?? ownerReferences }, spec: { ...current.spec, ...spec } }, {}, signal)
      : await leases.create(LEASE_NAMESPACE, { metadata: { name: this.nodeName, namespace: LEASE_NAMESPACE, ownerReferences }, spec }, {}, signal);
    this.lease = encodeLease(written);
  }

  /** Writes the status when it differs from the Node's, or when the report period has passed. */
  async updateStatus(): Promise<void> {
    const now = this.o.clock.now();
    const current = this.o.currentNode();
    const due = now - this.lastReport >= (this.o.statusReportFrequencyMs ?? 300_000);
    const version = current?.metadata?.resourceVersion;
    if (!due && version !== undefined && version === this.comparedVersion) return;
    const next = buildNodeStatus(this.o.config, current?.status, now);
    if (current && !due && !nodeStatusChanged(current.status, next)) {
      this.comparedVersion = version;
      return;
    }
    this.comparedVersion = undefined;
    await this.o.nodes.patch('', this.nodeName, 'merge', { status: next }, { subresource: 'status' });
    this.lastReport = now;
  }
}
