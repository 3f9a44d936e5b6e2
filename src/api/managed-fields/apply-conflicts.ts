import { ApiError } from '../api-error.js';
import { goQuote } from '../go-format.js';
import type { FieldSetPath } from './field-set.js';
import { pathString } from './path-string.js';

/** A field the applier would change that another manager owns; `manager` is that manager's identifier. */
export interface FieldConflict {
  readonly manager: string;
  readonly path: FieldSetPath;
}

/** How upstream names a manager in conflict messages: `"kubectl-client-side-apply" using apps/v1`. */
export function printManager(identifier: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(identifier) as Record<string, unknown>;
  } catch {
    return goQuote(identifier);
  }
  const text = (key: string): string => (typeof entry[key] === 'string' ? (entry[key] as string) : '');
  let out = goQuote(text('manager'));
  if (text('subresource') !== '') out += ` with subresource ${goQuote(text('subresource'))}`;
  return entry['operation'] === 'Update' ? `${out} using ${text('apiVersion')}` : out;
}

function conflictMessage(conflicts: readonly FieldConflict[]): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only !== undefined) {
    return `Apply failed with 1 conflict: conflict with ${printManager(only.manager)}: ${pathString(only.path)}`;
  }
  const byManager = new Map<string, string[]>();
  for (const { manager, path } of conflicts) {
    const paths = byManager.get(manager) ?? [];
    paths.push(pathString(path));
    byManager.set(manager, paths);
  }
  const lines: string[] = [];
  for (const manager of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${printManager(manager)}:`);
    for (const path of byManager.get(manager) ?? []) lines.push(`- ${path}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** An apply that would take fields from other managers without `force`: 409 with one cause per field. */
export class ApplyConflicts extends Error {
  override readonly name = 'ApplyConflicts';

  constructor(readonly conflicts: readonly FieldConflict[]) {
    super(conflictMessage(conflicts));
  }

  toApiError(): ApiError {
    const causes = this.conflicts.map(({ manager, path }) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${printManager(manager)}`,
      field: pathString(path),
    }));
    return new ApiError({ code: 409, reason: 'Conflict', message: this.message, details: { causes } });
  }
}
