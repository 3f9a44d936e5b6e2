import type { APIGroupList, APIResourceList } from 'kubernetes-types/meta/v1.js';
import type { RestClient, ResourceType } from './rest-client.js';

/** A served resource as discovery describes it. */
export interface DiscoveredResource extends ResourceType {
  readonly verbs: readonly string[];
}

/**
 * Every top-level resource the server serves (subresources left out), in each group's preferred version, from
 * legacy discovery (/api/v1, /apis, /apis/<group>/<version>): what the garbage collector and the namespace
 * controller walk, so kinds served later are covered without code changes.
 */
export async function discoverResources(client: RestClient, signal?: AbortSignal): Promise<DiscoveredResource[]> {
  const out: DiscoveredResource[] = [];
  const add = (group: string, version: string, list: APIResourceList) => {
    for (const r of list.resources) {
      if (r.name.includes('/')) continue;
      out.push({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs });
    }
  };
  add('', 'v1', await client.json<APIResourceList>({ method: 'GET', url: '/api/v1', signal }));
  const groups = await client.json<APIGroupList>({ method: 'GET', url: '/apis', signal });
  const lists = await Promise.all(
    groups.groups.map(async (g) => {
      const version = g.preferredVersion?.version ?? g.versions[0]?.version;
      if (!version) return undefined;
      return { group: g.name, version, list: await client.json<APIResourceList>({ method: 'GET', url: `/apis/${g.name}/${version}`, signal }) };
    }),
  );
  for (const l of lists) if (l) add(l.group, l.version, l.list);
  return out;
}
