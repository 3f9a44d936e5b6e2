/**
 * The informers the graph is fed by: one per deletable resource (list, watch and delete verbs) that discovery
 * reports, events excepted as upstream does. `sync` runs discovery again and adds monitors for new resources.
 */
import { discoverResources, type DiscoveredResource, type InformerFactory, type KubeObject, type RestClient, type SharedInformer } from '../../client/index.js';
import type { GraphEvent } from './graph-builder.js';

/** upstream's DefaultIgnoredResources: events are never owners worth tracking. */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

export const apiVersionOf = (r: { group: string; version: string }): string => (r.group ? `${r.group}/${r.version}` : r.version);

export function isDeletable(r: DiscoveredResource): boolean {
  return ['delete', 'list', 'watch'].every((v) => r.verbs.includes(v)) && !IGNORED.has(`${r.group}/${r.resource}`);
}

export class ResourceMonitors {
  /** apiVersion|kind → resource (the collector's REST mapper), every served resource. */
  private readonly mapper = new Map<string, DiscoveredResource>();
  private readonly monitors = new Map<string, SharedInformer<KubeObject>>();

  constructor(
    private readonly client: RestClient,
    private readonly informers: InformerFactory,
    private readonly onEvent: (event: GraphEvent) => void,
    private readonly log?: (message: string) => void,
  ) {}

  /** The resource that serves this apiVersion and kind, from the last discovery. */
  resourceFor(apiVersion: string, kind: string): DiscoveredResource | undefined {
    return this.mapper.get(`${apiVersion}|${kind}`);
  }

  /** Discovers and starts monitors for resources not monitored yet; returns the new ones. */
  async sync(signal: AbortSignal): Promise<SharedInformer<KubeObject>[]> {
    const resources = await discoverResources(this.client, signal);
    for (const r of resources) this.mapper.set(`${apiVersionOf(r)}|${r.kind}`, r);
    const added: SharedInformer<KubeObject>[] = [];
    for (const r of resources.filter(isDeletable)) {
      const key = `${r.group}/${r.version}/${r.resource}`;
      if (this.monitors.has(key)) continue;
      const informer = this.informers.informer<KubeObject>(r);
      const apiVersion = apiVersionOf(r);
      const kind = r.kind;
      informer.addEventHandler({
        onAdd: (object) => this.onEvent({ type: 'add', apiVersion, kind, object }),
        onUpdate: (old, object) => this.onEvent({ type: 'update', apiVersion, kind, object, old }),
        onDelete: (object) => this.onEvent({ type: 'delete', apiVersion, kind, object }),
      });
      this.monitors.set(key, informer);
      added.push(informer);
    }
    if (added.length > 0) {
      this.informers.start(signal);
      this.log?.(`garbage collector: monitoring ${added.length} more resources (${this.monitors.size} in all)`);
    }
    return added;
  }

  /** Whether every monitor has listed once. */
  synced(): boolean {
    return [...this.monitors.values()].every((m) => m.hasSynced());
  }
}
