// Shared by the patch-meta-of tests: a strategic merge patch applied with a served kind's patch metadata.
import assert from 'node:assert/strict';
import { applyStrategicMergePatch, PatchError, type PatchErrorKind } from '../../api/index.js';
import { loadDefinitions } from './load-definitions.js';
import { patchMetaFor } from './patch-meta-of.js';

const GROUP_VERSIONS: Readonly<Record<string, readonly [string, string]>> = {
  Pod: ['', 'v1'],
  Service: ['', 'v1'],
  Node: ['', 'v1'],
  Deployment: ['apps', 'v1'],
  RoleBinding: ['rbac.authorization.k8s.io', 'v1'],
};

export interface KindPatchCase {
  readonly name: string;
  readonly kind: string;
  readonly original: unknown;
  readonly patch: unknown;
  readonly expected?: unknown;
  readonly error?: readonly [PatchErrorKind, string];
}

/** Applies the case's patch with its kind's served patch metadata and checks the result or error. */
export function checkKindPatchCase(c: KindPatchCase): void {
  const [group = '', version = ''] = GROUP_VERSIONS[c.kind] ?? [];
  const meta = patchMetaFor(loadDefinitions(), group, version, c.kind);
  assert.ok(meta, `no definition for ${c.kind}`);
  const apply = (): unknown => applyStrategicMergePatch(c.original, c.patch, meta);
  if (c.error === undefined) {
    assert.deepEqual(apply(), c.expected);
    return;
  }
  const [kind, message] = c.error;
  assert.throws(apply, (err: unknown) => err instanceof PatchError && err.kind === kind && err.message === message);
}
