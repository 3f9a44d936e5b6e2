import type { KindInfo } from '../../api/index.js';

type DiscoveryFormat = 'legacy' | 'v2' | 'v2beta1';

export interface DiscoveryAnswer {
  readonly contentType: string;
  readonly body: string;
}

/**
 * The discovery documents for the served kinds: legacy (/api, /apis, /api/v1, /apis/<group>[/<version>]) and
 * aggregated (apidiscovery.k8s.io v2 and v2beta1 for /api and /apis), negotiated from the Accept header as
 * client-go expects (kubectl 1.27 reads only v2beta1, so it must never receive v2).
 */
export class Discovery {
  private readonly groups: Map<string, KindInfo[]> = new Map();
  private readonly cache = new Map<string, DiscoveryAnswer>();

  constructor(
    kinds: readonly KindInfo[],
    private readonly serverAddress: () => string,
  ) {
    for (const k of kinds) {
      const list = this.groups.get(k.group) ?? [];
      list.push(k);
      this.groups.set(k.group, list);
    }
  }

  /** The answer for a discovery path, or undefined when the path is not one. */
  handle(pathname: string, accept: string | undefined): DiscoveryAnswer | undefined {
    const path = pathname.replace(/\/+$/, '');
    if (path === '/api' || path === '/apis') {
      const format = negotiate(accept);
      if (format !== 'legacy') return this.cached(`${path}:${format}`, () => aggregated(this.kindsFor(path === '/api'), format));
      if (path === '/api') {
        return json({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.serverAddress() }] });
      }
      return this.cached('/apis', () => json({ kind: 'APIGroupList', apiVersion: 'v1', groups: [...this.groups.keys()].filter((g) => g !== '').map((g) => this.apiGroup(g)) }));
    }
    if (path === '/api/v1') return this.cached(path, () => resourceList('v1', this.groups.get('') ?? []));
    const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (!m) return undefined;
    const kinds = this.groups.get(m[1]!);
    if (!kinds || m[1] === '') return undefined;
    if (m[2] === undefined) return this.cached(path, () => json({ kind: 'APIGroup', apiVersion: 'v1', ...this.apiGroup(m[1]!) }));
    const inVersion = kinds.filter((k) => k.version === m[2]);
    if (inVersion.length === 0) return undefined;
    return this.cached(path, () => resourceList(`${m[1]}/${m[2]}`, inVersion));
  }

  private kindsFor(core: boolean): Map<string, KindInfo[]> {
    return new Map([...this.groups].filter(([g]) => (g === '') === core));
  }

  private apiGroup(group: string) {
    const versions = [...new Set(this.groups.get(group)!.map((k) => k.version))].map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
    return { name: group, versions, preferredVersion: versions[0]! };
  }

  private cached(key: string, build: () => DiscoveryAnswer): DiscoveryAnswer {
    let hit = this.cache.get(key);
    if (!hit) {
      hit = build();
      this.cache.set(key, hit);
    }
    return hit;
  }
}

function json(value: unknown, contentType = 'application/json'): DiscoveryAnswer {
  return { contentType, body: JSON.stringify(value) };
}

/** The first media range the client accepts decides, as in upstream's content negotiation. */
function negotiate(accept: string | undefined): DiscoveryFormat {
  for (const range of (accept ?? '').split(',')) {
    const [type, ...params] = range.split(';').map((s) => s.trim());
    const p = new Map(params.map((x) => x.split('=').map((s) => s.trim()) as [string, string]));
    if (type === 'application/json' && p.get('g') === 'apidiscovery.k8s.io' && p.get('as') === 'APIGroupDiscoveryList') {
      if (p.get('v') === 'v2') return 'v2';
      if (p.get('v') === 'v2beta1') return 'v2beta1';
      continue;
    }
    if (type === 'application/json' || type === '*/*' || type === 'application/*') return 'legacy';
  }
  return 'legacy';
}

function resourceList(groupVersion: string, kinds: readonly KindInfo[]): DiscoveryAnswer {
  const resources: object[] = [];
  for (const k of kinds) {
    resources.push({
      name: k.resource,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: k.verbs,
      ...(k.shortNames.length > 0 ? { shortNames: k.shortNames } : {}),
      ...(k.categories.length > 0 ? { categories: k.categories } : {}),
      ...(k.storageVersionHash ? { storageVersionHash: k.storageVersionHash } : {}),
    });
    for (const s of k.subresources) {
      resources.push({
        name: `${k.resource}/${s.name}`,
        singularName: '',
        namespaced: k.namespaced,
        ...(s.group !== undefined ? { group: s.group } : {}),
        ...(s.version !== undefined ? { version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return json({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources });
}

function aggregated(groups: Map<string, KindInfo[]>, format: 'v2' | 'v2beta1'): DiscoveryAnswer {
  const items = [...groups].map(([group, kinds]) => {
    const versions = [...new Set(kinds.map((k) => k.version))].map((version) => ({
      version,
      resources: kinds
        .filter((k) => k.version === version)
        .map((k) => ({
          resource: k.resource,
          responseKind: { group: k.group, version: k.version, kind: k.kind },
          scope: k.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: k.singular,
          verbs: k.verbs,
          ...(k.shortNames.length > 0 ? { shortNames: k.shortNames } : {}),
          ...(k.categories.length > 0 ? { categories: k.categories } : {}),
          ...(k.subresources.length > 0
            ? {
                subresources: k.subresources.map((s) => ({
                  subresource: s.name,
                  responseKind: { group: s.group ?? k.group, version: s.version ?? k.version, kind: s.kind },
                  verbs: s.verbs,
                })),
              }
            : {}),
        })),
      freshness: 'Current',
    }));
    return { metadata: { name: group, creationTimestamp: null }, versions };
  });
  return json(
    { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${format}`, metadata: {}, items },
    `application/json;g=apidiscovery.k8s.io;v=${format};as=APIGroupDiscoveryList`,
  );
}
