import { test } from 'node:test';
import assert from 'node:assert/strict';
import { childSignal } from './child-signal.js';

test('a child signal aborts with its parent, not the other way round, and carries the reason', () => {
  const parent = new AbortController();
  const a = childSignal(parent.signal);
  const b = childSignal(parent.signal);
  assert.equal(a.aborted, false);
  assert.notEqual(a, b);
  parent.abort(new Error('stop'));
  assert.equal(a.aborted, true);
  assert.equal((a.reason as Error).message, 'stop');
  assert.equal(childSignal(parent.signal).aborted, true, 'already aborted');
  const other = new AbortController();
  const c = childSignal(other.signal);
  (c as unknown as { dispatchEvent: (e: Event) => boolean }).dispatchEvent(new Event('abort'));
  assert.equal(other.signal.aborted, false);
});
