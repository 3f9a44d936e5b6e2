import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import { ManualClock } from '../lib/index.js';
import { EventCorrelator, formatTime, nanoHex } from './event-correlator.js';

function makeEvent(clock: ManualClock, message: string, over: Partial<CoreEvent> = {}): CoreEvent {
  const t = formatTime(clock.now());
  return {
    metadata: { name: `web.${nanoHex(clock.now())}`, namespace: 'ns' },
    involvedObject: { kind: 'Pod', namespace: 'ns', name: 'web', uid: 'u1', apiVersion: 'v1' },
    reason: 'Failed',
    message,
    source: { component: 'kubelet', host: 'n1' },
    firstTimestamp: t,
    lastTimestamp: t,
    count: 1,
    type: 'Warning',
    reportingComponent: 'kubelet',
    reportingInstance: 'n1',
    ...over,
  };
}

function accepted(result: ReturnType<EventCorrelator['correlate']>) {
  assert.equal(result.skip, false);
  if (result.skip) throw new Error('skipped');
  return result;
}

test('times and names are formatted as Go formats them', () => {
  assert.equal(formatTime(Date.UTC(2024, 1, 3, 4, 5, 6, 789)), '2024-02-03T04:05:06Z');
  assert.equal(formatTime(Date.UTC(2024, 1, 3, 4, 5, 7, 0)), '2024-02-03T04:05:07Z');
  assert.equal(formatTime(Date.UTC(2024, 1, 3, 4, 5, 6, 999)), '2024-02-03T04:05:06Z', 'an earlier second after a later one');
  assert.equal(formatTime(-1), '1969-12-31T23:59:59Z');
  assert.equal(nanoHex(1), 'f4240');
  assert.match(nanoHex(Date.UTC(2024, 0, 1)), /^[0-9a-f]{16}$/);
});

test('a repeated event becomes the next occurrence of the first, with a patch of count, lastTimestamp and message', () => {
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  const c = new EventCorrelator({ clock });
  const first = accepted(c.correlate(makeEvent(clock, 'boom')));
  assert.equal(first.patch, undefined);
  c.updateState({ ...first.event, metadata: { ...first.event.metadata, resourceVersion: '7' } });
  clock.advance(5000);
  const second = accepted(c.correlate(makeEvent(clock, 'boom')));
  assert.deepEqual(second.patch, { count: 2, lastTimestamp: '2024-01-01T00:00:05Z', message: 'boom' });
  assert.equal(second.event.metadata?.name, first.event.metadata?.name);
  assert.equal(second.event.metadata?.resourceVersion, '7');
  assert.equal(second.event.firstTimestamp, '2024-01-01T00:00:00Z');
  assert.equal(second.event.count, 2);
  const third = accepted(c.correlate(makeEvent(clock, 'boom')));
  assert.equal(third.patch?.count, 3, 'counted even before the server answered');
});

test('the tenth distinct message within ten minutes is combined; the window restarts after it', () => {
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  const c = new EventCorrelator({ clock });
  for (let i = 1; i <= 9; i++) {
    const r = accepted(c.correlate(makeEvent(clock, `m${i}`)));
    assert.equal(r.event.message, `m${i}`);
    clock.advance(1000);
  }
  const tenth = accepted(c.correlate(makeEvent(clock, 'm10')));
  assert.equal(tenth.event.message, '(combined from similar events): m10');
  assert.equal(tenth.event.count, 1);
  assert.equal(tenth.event.reportingComponent, undefined, 'client-go leaves the reporting fields off the combined event');
  const eleventh = accepted(c.correlate(makeEvent(clock, 'm11')));
  assert.equal(eleventh.event.message, '(combined from similar events): m11');
  assert.deepEqual(eleventh.patch, { count: 2, lastTimestamp: formatTime(clock.now()), message: '(combined from similar events): m11' });

  const other = accepted(c.correlate(makeEvent(clock, 'x', { reason: 'Other' })));
  assert.equal(other.event.message, 'x', 'another reason is aggregated separately');

  clock.advance(600_001);
  const later = accepted(c.correlate(makeEvent(clock, 'm12')));
  assert.equal(later.event.message, 'm12', 'after ten quiet minutes the count starts again');
});

test('the spam filter allows 25 events per source and object, then one per five minutes', () => {
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  const c = new EventCorrelator({ clock });
  for (let i = 0; i < 25; i++) assert.equal(c.correlate(makeEvent(clock, 'same')).skip, false);
  assert.equal(c.correlate(makeEvent(clock, 'same')).skip, true);
  assert.equal(c.correlate(makeEvent(clock, 'other', { reason: 'Other' })).skip, true, 'the key ignores reason and message');
  const otherObject = { kind: 'Pod', namespace: 'ns', name: 'db', uid: 'u2', apiVersion: 'v1' };
  assert.equal(c.correlate(makeEvent(clock, 'same', { involvedObject: otherObject })).skip, false);
  const otherSource = { component: 'scheduler' };
  assert.equal(c.correlate(makeEvent(clock, 'same', { source: otherSource })).skip, false);
  clock.advance(299_000);
  assert.equal(c.correlate(makeEvent(clock, 'same')).skip, true);
  clock.advance(1000);
  assert.equal(c.correlate(makeEvent(clock, 'same')).skip, false);
  assert.equal(c.correlate(makeEvent(clock, 'same')).skip, true);
});

test('occurrences the spam filter skips still count: the next written one carries the total (a burst of creates)', () => {
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  const c = new EventCorrelator({ clock });
  const results = Array.from({ length: 1000 }, (_, i) => c.correlate(makeEvent(clock, `Created pod: web-${i}`)));
  const written = results.filter((r) => !r.skip).map(accepted);
  assert.equal(written.length, 25, 'the burst of 25 per source and object');
  assert.equal(written.filter((r) => r.patch === undefined).length, 10, 'nine events of their own and the combined one are created');
  assert.equal(written[9]!.event.message, '(combined from similar events): Created pod: web-9');
  assert.deepEqual(
    written.slice(10).map((r) => r.patch?.count),
    Array.from({ length: 15 }, (_, i) => i + 2),
    'then the combined event is patched, its count going up by one',
  );
  clock.advance(300_000);
  const next = accepted(c.correlate(makeEvent(clock, 'Created pod: web-1000')));
  assert.equal(next.patch?.count, 992, 'the 991 combined occurrences so far (25 written, 975 skipped) and this one');
  assert.equal(next.event.metadata?.name, written[9]!.event.metadata?.name, 'the same combined Event is patched');
  assert.equal(next.event.firstTimestamp, written[9]!.event.firstTimestamp);
});

test('the combined event is named as the event it replaces, which the recorder made unique for its object', () => {
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  const c = new EventCorrelator({ clock });
  for (let i = 1; i <= 9; i++) accepted(c.correlate(makeEvent(clock, `m${i}`, { metadata: { name: `web.${i}`, namespace: 'ns' } })));
  const tenth = accepted(c.correlate(makeEvent(clock, 'm10', { metadata: { name: 'web.10', namespace: 'ns' } })));
  assert.equal(tenth.event.message, '(combined from similar events): m10');
  assert.equal(tenth.event.metadata?.name, 'web.10');
  assert.equal(tenth.event.metadata?.namespace, 'ns');
});
