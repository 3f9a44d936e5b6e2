import type { NodeInfo } from '../../framework/node-info.js';

/** What one node adds to the sums: its topology value (undefined: it is not counted) and its matching Pods. */
export interface NodeContribution {
  readonly domain: string | undefined;
  readonly count: number;
}

interface Entry extends NodeContribution {
  generation: number;
  epoch: number;
}

/**
 * Matching Pods summed by topology value over every node, for one constraint (selector, namespace, topology key):
 * what PreScore adds up over all nodes for each Pod it scores. The sums are kept between cycles and brought up to
 * date from the nodes whose generation moved (a Pod or the Node changed) and the nodes that came or went, so a cycle
 * costs a generation check per node instead of a count. `contribute` must depend only on the node (its labels and
 * Pods), never on the Pod being scheduled.
 */
export class DomainCounts {
  private readonly nodes = new Map<NodeInfo, Entry>();
  private readonly totals = new Map<string, number>();
  private epoch = 0;

  constructor(private readonly contribute: (node: NodeInfo) => NodeContribution) {}

  /** The sums over `all` (the scheduler's current nodes), by topology value. */
  update(all: readonly NodeInfo[]): ReadonlyMap<string, number> {
    const epoch = ++this.epoch;
    for (const node of all) {
      const entry = this.nodes.get(node);
      if (entry !== undefined && entry.generation === node.generation) {
        entry.epoch = epoch;
        continue;
      }
      if (entry !== undefined) this.add(entry, -1);
      const next: Entry = { ...this.contribute(node), generation: node.generation, epoch };
      this.nodes.set(node, next);
      this.add(next, 1);
    }
    if (this.nodes.size > all.length) {
      // Nodes that are gone (or were replaced by another NodeInfo) no longer count.
      for (const [node, entry] of this.nodes) {
        if (entry.epoch === epoch) continue;
        this.add(entry, -1);
        this.nodes.delete(node);
      }
    }
    return this.totals;
  }

  private add(entry: NodeContribution, sign: 1 | -1): void {
    if (entry.domain === undefined) return;
    const sum = (this.totals.get(entry.domain) ?? 0) + sign * entry.count;
    if (sum === 0) this.totals.delete(entry.domain);
    else this.totals.set(entry.domain, sum);
  }
}
