import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../lib/index.js';
import {
  ControllerExpectations,
  ExpectationsTimeout,
  UIDTrackingControllerExpectations,
  expectationsFulfilled,
  podKey,
} from './expectations.js';

describe('ControllerExpectations', () => {
  it('is satisfied for a key that never recorded expectations', () => {
    const exp = new ControllerExpectations(new ManualClock(1000));
    assert.equal(exp.satisfiedExpectations('ns/rs'), true);
    assert.equal(exp.getExpectations('ns/rs'), undefined);
  });

  it('waits for every expected creation', () => {
    const exp = new ControllerExpectations(new ManualClock(1000));
    exp.expectCreations('ns/rs', 2);
    assert.equal(exp.satisfiedExpectations('ns/rs'), false);
    exp.creationObserved('ns/rs');
    assert.equal(exp.satisfiedExpectations('ns/rs'), false);
    exp.creationObserved('ns/rs');
    assert.equal(exp.satisfiedExpectations('ns/rs'), true);
    assert.deepEqual(exp.getExpectations('ns/rs'), { add: 0, del: 0, timestamp: 1000 });
  });

  it('waits for every expected deletion; counts may go negative and stay satisfied', () => {
    const exp = new ControllerExpectations(new ManualClock());
    exp.expectDeletions('k', 1);
    assert.equal(exp.satisfiedExpectations('k'), false);
    exp.deletionObserved('k');
    exp.deletionObserved('k');
    assert.equal(exp.getExpectations('k')?.del, -1);
    assert.equal(exp.satisfiedExpectations('k'), true);
  });

  it('expires strictly after ExpectationsTimeout', () => {
    const clock = new ManualClock(0);
    const exp = new ControllerExpectations(clock);
    exp.expectCreations('k', 3);
    clock.advance(ExpectationsTimeout);
    assert.equal(exp.satisfiedExpectations('k'), false);
    clock.advance(1);
    assert.equal(exp.satisfiedExpectations('k'), true);
    assert.equal(ExpectationsTimeout, 300_000);
  });

  it('setExpectations replaces the record and restarts the timeout', () => {
    const clock = new ManualClock(0);
    const exp = new ControllerExpectations(clock);
    exp.setExpectations('k', 1, 1);
    clock.advance(ExpectationsTimeout);
    exp.expectDeletions('k', 2);
    assert.deepEqual(exp.getExpectations('k'), { add: 0, del: 2, timestamp: ExpectationsTimeout });
    clock.advance(ExpectationsTimeout);
    assert.equal(exp.satisfiedExpectations('k'), false);
  });

  it('raise and lower change an existing record only and keep its timestamp', () => {
    const clock = new ManualClock(5);
    const exp = new ControllerExpectations(clock);
    exp.raiseExpectations('k', 1, 1);
    exp.lowerExpectations('k', 1, 1);
    assert.equal(exp.getExpectations('k'), undefined);
    exp.setExpectations('k', 0, 0);
    clock.advance(10);
    exp.raiseExpectations('k', 2, 1);
    assert.deepEqual(exp.getExpectations('k'), { add: 2, del: 1, timestamp: 5 });
    exp.lowerExpectations('k', 2, 0);
    assert.deepEqual(exp.getExpectations('k'), { add: 0, del: 1, timestamp: 5 });
    assert.equal(exp.satisfiedExpectations('k'), false);
  });

  it('observations on an unknown key do nothing', () => {
    const exp = new ControllerExpectations(new ManualClock());
    exp.creationObserved('k');
    exp.deletionObserved('k');
    assert.equal(exp.getExpectations('k'), undefined);
  });

  it('deleteExpectations forgets the key', () => {
    const exp = new ControllerExpectations(new ManualClock());
    exp.expectCreations('k', 1);
    exp.deleteExpectations('k');
    assert.equal(exp.getExpectations('k'), undefined);
    assert.equal(exp.satisfiedExpectations('k'), true);
  });

  it('keeps keys apart', () => {
    const exp = new ControllerExpectations(new ManualClock());
    exp.expectCreations('a', 1);
    exp.expectCreations('b', 1);
    exp.creationObserved('a');
    assert.equal(exp.satisfiedExpectations('a'), true);
    assert.equal(exp.satisfiedExpectations('b'), false);
  });

  it('expectationsFulfilled needs both counts at or below zero', () => {
    assert.equal(expectationsFulfilled({ add: 0, del: 0, timestamp: 0 }), true);
    assert.equal(expectationsFulfilled({ add: -1, del: 0, timestamp: 0 }), true);
    assert.equal(expectationsFulfilled({ add: 1, del: -5, timestamp: 0 }), false);
    assert.equal(expectationsFulfilled({ add: 0, del: 1, timestamp: 0 }), false);
  });
});

describe('podKey', () => {
  it('is namespace/name', () => {
    assert.equal(podKey({ metadata: { namespace: 'default', name: 'web-abcde' } }), 'default/web-abcde');
    assert.equal(podKey({}), '/');
  });
});

describe('UIDTrackingControllerExpectations', () => {
  const make = (clock = new ManualClock()) => new UIDTrackingControllerExpectations(new ControllerExpectations(clock));

  it('expects one deletion per distinct pod key', () => {
    const exp = make();
    exp.expectDeletions('ns/rs', ['ns/a', 'ns/b', 'ns/a']);
    assert.equal(exp.getExpectations('ns/rs')?.del, 2);
    assert.deepEqual([...(exp.getUIDs('ns/rs') ?? [])], ['ns/a', 'ns/b']);
    assert.equal(exp.satisfiedExpectations('ns/rs'), false);
  });

  it('counts an expected deletion once, however often it is observed', () => {
    const exp = make();
    exp.expectDeletions('k', ['ns/a', 'ns/b']);
    exp.deletionObserved('k', 'ns/a');
    exp.deletionObserved('k', 'ns/a');
    assert.equal(exp.getExpectations('k')?.del, 1);
    assert.equal(exp.satisfiedExpectations('k'), false);
    exp.deletionObserved('k', 'ns/b');
    assert.equal(exp.satisfiedExpectations('k'), true);
    assert.equal(exp.getUIDs('k')?.size, 0);
  });

  it('ignores deletions of pods it did not expect', () => {
    const exp = make();
    exp.deletionObserved('k', 'ns/x');
    assert.equal(exp.getExpectations('k'), undefined);
    exp.expectDeletions('k', ['ns/a']);
    exp.deletionObserved('k', 'ns/x');
    assert.equal(exp.getExpectations('k')?.del, 1);
  });

  it('a new expectDeletions replaces the tracked keys', () => {
    const exp = make();
    exp.expectDeletions('k', ['ns/a']);
    exp.expectDeletions('k', ['ns/b']);
    exp.deletionObserved('k', 'ns/a');
    assert.equal(exp.getExpectations('k')?.del, 1);
    exp.deletionObserved('k', 'ns/b');
    assert.equal(exp.satisfiedExpectations('k'), true);
  });

  it('delegates creations to the underlying expectations', () => {
    const exp = make();
    exp.expectCreations('k', 2);
    exp.creationObserved('k');
    exp.raiseExpectations('k', 1, 0);
    assert.equal(exp.getExpectations('k')?.add, 2);
    exp.lowerExpectations('k', 2, 0);
    assert.equal(exp.satisfiedExpectations('k'), true);
    assert.equal(exp.expectations.getExpectations('k')?.add, 0);
  });

  it('expires like the plain expectations', () => {
    const clock = new ManualClock();
    const exp = make(clock);
    exp.expectDeletions('k', ['ns/a']);
    clock.advance(ExpectationsTimeout + 1);
    assert.equal(exp.satisfiedExpectations('k'), true);
  });

  it('deleteExpectations forgets counts and tracked keys', () => {
    const exp = make();
    exp.expectDeletions('k', ['ns/a']);
    exp.deleteExpectations('k');
    assert.equal(exp.getExpectations('k'), undefined);
    assert.equal(exp.getUIDs('k'), undefined);
    exp.deletionObserved('k', 'ns/a');
    assert.equal(exp.getExpectations('k'), undefined);
  });

  it('an empty deletion list is immediately satisfied', () => {
    const exp = make();
    exp.expectDeletions('k', []);
    assert.equal(exp.satisfiedExpectations('k'), true);
  });
});
