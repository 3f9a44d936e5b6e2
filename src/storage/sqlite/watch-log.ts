import type { StorageEvent } from '../storage.js';
import { StorageError } from '../storage-error.js';
import type { EventRing } from './event-ring.js';

export interface WatchLogSource {
  readonly prefix: string;
  readonly afterRevision: number;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((revision: number) => void) | undefined;
  readonly ring: EventRing;
  compactedRevision(): number;
  isClosed(): boolean;
  /** Changes under the prefix with after < revision < before; `next` is the revision read up to. */
  readLog(after: number, before: number): { events: StorageEvent[]; next: number };
}

/**
 * A watcher's cursor over the store's history: recent events come from the in-memory ring, older ones from
 * the log on disk, so a watcher that falls behind catches up instead of being dropped.
 */
export async function* watchLog(src: WatchLogSource): AsyncGenerator<StorageEvent> {
  const { prefix, ring, signal } = src;
  let cursor = src.afterRevision;
  for (;;) {
    if (signal?.aborted) return;
    if (src.isClosed()) throw new StorageError('Unavailable', prefix, 'storage is closed');
    if (cursor < src.compactedRevision()) throw StorageError.compacted(prefix, cursor, src.compactedRevision());
    const recent = ring.since(cursor, 1000);
    if (recent === undefined) {
      const { events, next } = src.readLog(cursor, ring.completeAfter() + 1);
      for (const ev of events) {
        if (signal?.aborted) return;
        yield ev;
      }
      cursor = Math.max(cursor, next);
      continue;
    }
    if (recent.length === 0) {
      src.onProgress?.(cursor);
      await ring.next(signal);
      continue;
    }
    for (const ev of recent) {
      cursor = ev.revision;
      if (!ev.key.startsWith(prefix)) continue;
      if (signal?.aborted) return;
      yield ev;
    }
  }
}
