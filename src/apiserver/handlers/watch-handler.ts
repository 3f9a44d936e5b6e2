import type { ServerRequest, ServerResponse } from '../http/http-types.js';
import { apiVersionOf } from '../registry/resource-definition.js';
import type { ListQuery } from '../registry/list-query.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { WatchMessage } from '../watch-cache/cache-watcher.js';
import type { CachedObject } from '../watch-cache/cached-object.js';
import { isApiError } from '../../api/index.js';

/** Without timeoutSeconds upstream ends a watch after a random 30–60 minutes (--min-request-timeout 1800 s). */
const MIN_REQUEST_TIMEOUT_S = 1800;
/** How often watchers that allow bookmarks get one (upstream: about a minute). */
const BOOKMARK_INTERVAL_MS = 60_000;

/**
 * Streams a watch: 200, chunked, one JSON event per line, written as soon as it happens. Errors found after the
 * request was accepted (410 Expired, 504) are sent as one ERROR event in the 200 stream, as upstream's cacher does.
 */
export async function serveWatch(
  req: ServerRequest,
  res: ServerResponse,
  store: ResourceStore,
  namespace: string,
  query: ListQuery,
  shutdown: AbortSignal,
  encode?: (obj: CachedObject) => string,
  delivered?: (msg: WatchMessage) => void,
): Promise<void> {
  // A client in this process (without a transformed format) gets each event's object itself: nothing is encoded
  // for it or decoded by it, and every such client shares the watch cache's one decoded copy.
  const direct = encode === undefined ? res.writeWatchEvent?.bind(res) : undefined;
  const json = encode ?? ((obj: CachedObject) => obj.json());
  const def = store.def;
  const timeoutS = query.timeoutSeconds ?? MIN_REQUEST_TIMEOUT_S * (1 + Math.random());
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders?.();
  let watcher;
  try {
    watcher = await store.watch(namespace, query);
  } catch (err) {
    if (!isApiError(err)) throw err;
    res.end(`{"type":"ERROR","object":${JSON.stringify(err.status)}}\n`);
    return;
  }
  const bookmark = (rev: number, end: boolean) =>
    `{"type":"BOOKMARK","object":{"kind":"${def.kind}","apiVersion":"${apiVersionOf(def)}","metadata":{"resourceVersion":"${rev}","creationTimestamp":null${end ? ',"annotations":{"k8s.io/initial-events-end":"true"}' : ''}}}}\n`;
  const stop = () => watcher.close();
  const timer = setTimeout(() => {
    if (query.allowWatchBookmarks) watcher.push({ type: 'BOOKMARK', revision: store.cacher.currentRevision() });
    stop();
  }, timeoutS * 1000);
  const ticker = query.allowWatchBookmarks
    ? setInterval(() => watcher.push({ type: 'BOOKMARK', revision: store.cacher.currentRevision() }), BOOKMARK_INTERVAL_MS)
    : undefined;
  if (query.sendInitialEvents && query.allowWatchBookmarks) {
    const rev = store.cacher.currentRevision();
    watcher.push({ type: 'BOOKMARK', revision: rev, initialEventsEnd: true });
  }
  res.once('close', stop);
  shutdown.addEventListener('abort', stop, { once: true });
  try {
    for await (const msg of watcher) {
      store.watchEventsSent++;
      delivered?.(msg);
      const written = direct !== undefined && msg.type !== 'BOOKMARK' ? direct({ type: msg.type, object: msg.object.frozenObject() }) : res.write(frame(msg, bookmark, json));
      if (!written) await drainedOrClosed(res);
      if (res.writableEnded) break;
    }
  } finally {
    clearTimeout(timer);
    if (ticker) clearInterval(ticker);
    shutdown.removeEventListener('abort', stop);
    res.removeListener('close', stop);
    if (!res.writableEnded) res.end();
  }
}

function frame(msg: WatchMessage, bookmark: (rev: number, initialEventsEnd: boolean) => string, encode: (obj: CachedObject) => string): string {
  if (msg.type === 'BOOKMARK') return bookmark(msg.revision, msg.initialEventsEnd === true);
  return `{"type":"${msg.type}","object":${encode(msg.object)}}\n`;
}

/** Resolves when the response can take more, or is gone; leaves no listener behind either way. */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.removeListener('drain', done);
      res.removeListener('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
