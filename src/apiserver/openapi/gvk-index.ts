import type { Definitions } from './openapi-schema.js';

/** Finds the definition of a kind through the `x-kubernetes-group-version-kind` extensions. */
export class GvkIndex {
  readonly #names = new Map<string, string>();

  constructor(definitions: Definitions) {
    for (const [name, schema] of Object.entries(definitions)) {
      for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
        this.#names.set(`${gvk.group}/${gvk.version}/${gvk.kind}`, name);
      }
    }
  }

  /** e.g. ('apps', 'v1', 'ReplicaSet') → `io.k8s.api.apps.v1.ReplicaSet`. */
  nameOf(group: string, version: string, kind: string): string | undefined {
    return this.#names.get(`${group}/${version}/${kind}`);
  }
}
