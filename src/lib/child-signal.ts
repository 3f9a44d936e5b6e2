/**
 * A signal of its own that aborts when `parent` does (at once if it already has). Give each component its own: a
 * loop that adds and removes an abort listener per wait then scans only its own listeners, since an EventTarget
 * walks its whole listener list on every add and remove, and a shared signal can hold thousands (one per node).
 */
export function childSignal(parent: AbortSignal): AbortSignal {
  const ac = new AbortController();
  if (parent.aborted) ac.abort(parent.reason);
  else parent.addEventListener('abort', () => ac.abort(parent.reason), { once: true });
  return ac.signal;
}
