import type { Node } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { isAlreadyExists, isConflict, isNotFound } from '../api/index.js';
import { formatMicroTime, type ResourceClient } from '../client/index.js';
import { type Clock, sleep } from '../lib/index.js';
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

/**
 * One node's registration and heartbeats: creates the Node (or adopts the existing one), then renews the Lease
 * `kube-node-lease/<node>` every leaseDuration/4 and writes the node status when it changed or every report period.
 * Failures are retried on the next tick (registration with backoff up to 7 s, as upstream).
 */
export class NodeAgent {
  private lease: Lease | undefined;
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

  /** Registers, then heartbeats until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    await this.register(signal);
    if (signal.aborted) return;
    const renewMs = (this.leaseDuration * 1000) / 4;
    const statusMs = this.o.statusUpdateFrequencyMs ?? 10_000;
    await Promise.all([this.every(renewMs, signal, () => this.renewLease()), this.every(statusMs, signal, () => this.updateStatus())]);
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

  /** One renewal: update the Lease we hold (creating it when missing, re-reading it on a conflict). */
  async renewLease(signal?: AbortSignal): Promise<void> {
    const now = formatMicroTime(this.o.clock.now());
    const leases = this.o.leases;
    if (this.lease) {
      try {
        this.lease = await leases.update(LEASE_NAMESPACE, { ...this.lease, spec: { ...this.lease.spec, holderIdentity: this.nodeName, leaseDurationSeconds: this.leaseDuration, renewTime: now } }, {}, signal);
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
    this.lease = current
      ? await leases.update(LEASE_NAMESPACE, { ...current, metadata: { ...current.metadata, ownerReferences: current.metadata?.ownerReferences ?? ownerReferences }, spec: { ...current.spec, ...spec } }, {}, signal)
      : await leases.create(LEASE_NAMESPACE, { metadata: { name: this.nodeName, namespace: LEASE_NAMESPACE, ownerReferences }, spec }, {}, signal);
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

  private async every(periodMs: number, signal: AbortSignal, fn: () => Promise<void>): Promise<void> {
    // Spread the first tick so that many simulated nodes do not beat in step.
    let wait = Math.random() * periodMs;
    while (await sleep(this.o.clock, wait, signal)) {
      try {
        await fn();
      } catch (err) {
        if (signal.aborted) return;
        this.log(`node ${this.nodeName}: ${String(err)}`);
      }
      wait = periodMs;
    }
  }
}
