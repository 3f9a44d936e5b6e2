import type { DeleteResult, KeyValue, StorageEvent } from '../storage.js';
import { StorageError } from '../storage-error.js';
import type { LogRow, Statements } from './schema.js';

export type WriteOp =
  | { readonly kind: 'create'; readonly key: string; readonly value: string; readonly expiresAt: number | null }
  | { readonly kind: 'update'; readonly key: string; readonly value: string; readonly expected: number; readonly expiresAt: number | null }
  | { readonly kind: 'delete'; readonly key: string; readonly expected: number | undefined };

export type WriteResult = KeyValue | DeleteResult;

export interface Outcome {
  readonly result?: WriteResult;
  readonly error?: StorageError;
}

/**
 * Applies a batch of writes inside one (caller-owned) transaction, in order, each against the state the
 * writes before it left. A write whose check fails gets its error and changes nothing; the rest go on.
 * Revisions are assigned here, one per successful write, starting after `revision`.
 */
export function applyBatch(
  stmts: Statements,
  revision: number,
  ops: readonly WriteOp[],
): { outcomes: Outcome[]; events: StorageEvent[]; revision: number } {
  const outcomes: Outcome[] = [];
  const events: StorageEvent[] = [];
  let rev = revision;
  for (const op of ops) {
    const cur = stmts.latest.get(op.key);
    const live: LogRow | undefined = cur !== undefined && cur.deleted === 0 ? cur : undefined;
    if (op.kind === 'create') {
      if (live) {
        outcomes.push({ error: StorageError.keyExists(op.key) });
        continue;
      }
      rev++;
      stmts.insert.run(rev, op.key, 1, 0, rev, 0, op.expiresAt, op.value);
      const kv = { key: op.key, value: op.value, createRevision: rev, modRevision: rev };
      outcomes.push({ result: kv });
      events.push({ type: 'ADDED', key: op.key, revision: rev, value: op.value, createRevision: rev });
      continue;
    }
    if (!live) {
      outcomes.push({ error: StorageError.notFound(op.key) });
      continue;
    }
    if (op.expected !== undefined && op.expected !== live.id) {
      outcomes.push({ error: StorageError.conflict(op.key, { modRevision: live.id, value: live.value ?? '' }) });
      continue;
    }
    rev++;
    const prevValue = live.value ?? '';
    if (op.kind === 'update') {
      stmts.insert.run(rev, op.key, 0, 0, live.create_revision, live.id, op.expiresAt, op.value);
      outcomes.push({ result: { key: op.key, value: op.value, createRevision: live.create_revision, modRevision: rev } });
      events.push({ type: 'MODIFIED', key: op.key, revision: rev, value: op.value, prevValue, createRevision: live.create_revision });
    } else {
      stmts.insert.run(rev, op.key, 0, 1, live.create_revision, live.id, null, null);
      const prev = { key: op.key, value: prevValue, createRevision: live.create_revision, modRevision: live.id };
      outcomes.push({ result: { prev, revision: rev } });
      events.push({ type: 'DELETED', key: op.key, revision: rev, value: prevValue, prevValue, createRevision: live.create_revision });
    }
  }
  return { outcomes, events, revision: rev };
}
