import { StringDecoder } from 'node:string_decoder';
import type { Status } from 'kubernetes-types/meta/v1.js';
import { ApiError } from '../api/index.js';
import type { DecodedWatchEvent } from './transport.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

/** A watch event; ERROR events are not events but end the watch with an ApiError. */
export interface WatchEvent<T> {
  readonly type: WatchEventType;
  readonly object: T;
}

/**
 * Decodes a watch body (one JSON event per line, as the API server streams them) into events, in order. An ERROR
 * event, a line that is not an event, or a body that ends inside a line throws; a body that ends cleanly ends the
 * iteration. Events the transport decoded already are passed on as they are (they come between whole lines).
 */
export async function* decodeWatchEvents<T>(body: AsyncIterable<Buffer | DecodedWatchEvent>): AsyncGenerator<WatchEvent<T>> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of body) {
    if (!Buffer.isBuffer(chunk)) {
      if (pending.trim() !== '') throw new Error('watch: a decoded event inside a line');
      pending = '';
      yield { type: chunk.type, object: chunk.object as T };
      continue;
    }
    pending += decoder.write(chunk);
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim() !== '') yield parseEvent<T>(line);
      newline = pending.indexOf('\n');
    }
  }
  pending += decoder.end();
  if (pending.trim() !== '') yield parseEvent<T>(pending);
}

function parseEvent<T>(line: string): WatchEvent<T> {
  let event: { type?: unknown; object?: unknown };
  try {
    event = JSON.parse(line) as { type?: unknown; object?: unknown };
  } catch {
    throw new Error(`watch: undecodable event ${JSON.stringify(line.slice(0, 200))}`);
  }
  if (event.type === 'ERROR') {
    const status = event.object as Status | undefined;
    throw status && typeof status === 'object' ? ApiError.fromStatus(status) : new Error('watch: ERROR event without a Status');
  }
  if (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED' && event.type !== 'BOOKMARK') {
    throw new Error(`watch: unknown event type ${JSON.stringify(event.type)}`);
  }
  if (!event.object || typeof event.object !== 'object') throw new Error('watch: event without an object');
  return { type: event.type, object: event.object as T };
}
