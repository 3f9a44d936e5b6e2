import type { NodeInfo } from '../../framework/node-info.js';

/** What one node adds to the sums: its topology value (undefined: it is not counted) and its matching Pods. */
export interface NodeContribution {
  readonly domain: string | undefined;
  readonly count: number;
}

interface Entry {
  readonly node: NodeInfo;
  domain: string | undefined;
  count: number;
  generation: number;
  epoch: number;
}

/**
 * Matching Pods summed by topology value over every node, for one constraint (selector, namespace, topology key):
 * what PreScore adds up over all nodes for each Pod it scores. The sums are kept between cycles and brought up to
 * date from the nodes whose generation moved (a Pod or the Node changed) and the nodes that came or went, so a cycle
 * costs a generation check per node instead of a count (by position while the scheduler hands the same node list).
 * `contribute` must depend only on the node (its labels and Pods), never on the Pod being scheduled.
 */
export class DomainCounts {
  private readonly nodes = new Map<NodeInfo, Entry>();
  private readonly totals = new Map<string, number>();
  private epoch = 0;
  /** The node list of the last update and its entries by position: the scheduler hands the same list until nodes come or go. */
  private lastAll: readonly NodeInfo[] | undefined;
  private byPosition: Entry[] = [];

  constructor(private readonly contribute: (node: NodeInfo) => NodeContribution) {}

  /** The sums over `all` (the scheduler's current nodes), by topology value. */
  update(all: readonly NodeInfo[]): ReadonlyMap<string, number> {
    if (all === this.lastAll && all.length === this.byPosition.length && this.updateInPlace(all)) return this.totals;
    const epoch = ++this.epoch;
    const byPosition: Entry[] = [];
    for (const node of all) {
      let entry = this.nodes.get(node);
      if (entry === undefined) {
        entry = { node, domain: undefined, count: 0, generation: -1, epoch };
        this.nodes.set(node, entry);
      }
      entry.epoch = epoch;
      if (entry.generation !== node.generation) this.refresh(node, entry);
      byPosition.push(entry);
    }
    if (this.nodes.size > all.length) {
      // Nodes that are gone (or were replaced by another NodeInfo) no longer count.
      for (const [node, entry] of this.nodes) {
        if (entry.epoch === epoch) continue;
        this.add(entry, -1);
        this.nodes.delete(node);
      }
    }
    this.lastAll = all;
    this.byPosition = byPosition;
    return this.totals;
  }

  /** The same nodes in the same places as last time: only those whose generation moved are counted again. */
  private updateInPlace(all: readonly NodeInfo[]): boolean {
    const entries = this.byPosition;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as Entry;
      const node = all[i] as NodeInfo;
      if (entry.node !== node) return false;
      if (entry.generation !== node.generation) this.refresh(node, entry);
    }
    return true;
  }

  private refresh(node: NodeInfo, entry: Entry): void {
    this.add(entry, -1);
    const next = this.contribute(node);
    entry.domain = next.domain;
    entry.count = next.count;
    entry.generation = node.generation;
    this.add(entry, 1);
  }

  private add(entry: NodeContribution, sign: 1 | -1): void {
    if (entry.domain === undefined) return;
    const sum = (this.totals.get(entry.domain) ?? 0) + sign * entry.count;
    if (sum === 0) this.totals.delete(entry.domain);
    else this.totals.set(entry.domain, sum);
  }
}
