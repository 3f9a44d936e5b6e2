import { apiVersionOf, type ResourceDefinition } from '../registry/resource-definition.js';
import type { ListPage } from '../registry/resource-reader.js';

/** A list response, assembled from each item's cached JSON (nothing is serialised again). */
export function listJson(def: ResourceDefinition, page: ListPage): string {
  const meta: Record<string, string | number> = { resourceVersion: String(page.revision) };
  if (page.continueToken !== undefined) meta.continue = page.continueToken;
  if (page.remainingItemCount !== undefined) meta.remainingItemCount = page.remainingItemCount;
  const items = page.items.map((o) => o.itemJson()).join(',');
  return `{"kind":"${def.kind}List","apiVersion":"${apiVersionOf(def)}","metadata":${JSON.stringify(meta)},"items":[${items}]}`;
}
