import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../lib/index.js';
import { HEARTBEAT_JITTER, Heartbeats } from './heartbeats.js';

/** Lets the promise callbacks of finished runs go. */
const settle = () => new Promise<void>((r) => setImmediate(r));

describe('Heartbeats', () => {
  it('runs many tasks on one timer, the first run spread over the period, then every period plus up to 4 % jitter', async () => {
    const clock = new ManualClock(1000);
    const ac = new AbortController();
    const randoms = [0.5, 0.25, 1, 0];
    const beats = new Heartbeats(clock, ac.signal, () => randoms.shift() ?? 0);
    const runs: string[] = [];
    beats.every(10_000, async () => void runs.push(`a@${clock.now()}`));
    beats.every(10_000, async () => void runs.push(`b@${clock.now()}`));
    assert.equal(clock.pending(), 1, 'a single timer');
    clock.advance(2500);
    assert.deepEqual(runs, ['b@3500']);
    await settle();
    clock.advance(2500);
    assert.deepEqual(runs, ['b@3500', 'a@6000']);
    await settle();
    // b went back at 3500 + 10,000 × (1 + 0.04 × 1); a at 6000 + 10,000.
    assert.equal(clock.pending(), 1);
    clock.advance(13_900 - 6000 - 1);
    assert.equal(runs.length, 2);
    clock.advance(1);
    assert.deepEqual(runs.slice(2), [`b@${3500 + 10_000 * (1 + HEARTBEAT_JITTER)}`]);
    await settle();
    clock.advance(16_000 - 13_900);
    assert.deepEqual(runs.slice(3), ['a@16000']);
    ac.abort();
    await beats.done;
    assert.equal(clock.pending(), 0);
    assert.equal(beats.size, 0);
  });

  it('never overlaps runs of a task, goes on after a failure and stops a cancelled task', async () => {
    const clock = new ManualClock();
    const ac = new AbortController();
    const beats = new Heartbeats(clock, ac.signal, () => 0);
    let release!: () => void;
    let started = 0;
    const errors: unknown[] = [];
    beats.every(
      100,
      () => {
        started++;
        if (started === 2) return Promise.reject(new Error('boom'));
        return new Promise<void>((r) => (release = r));
      },
      (e) => errors.push(e),
    );
    let other = 0;
    const cancel = beats.every(100, async () => void other++);
    clock.advance(0);
    assert.equal(started, 1);
    clock.advance(1000);
    assert.equal(started, 1, 'the slow run is still going');
    release();
    await settle();
    clock.advance(100);
    await settle();
    assert.equal(started, 2);
    assert.match(String(errors[0]), /boom/);
    clock.advance(100);
    assert.equal(started, 3);
    const before = other;
    cancel();
    for (let i = 0; i < 5; i++) {
      clock.advance(100);
      await settle();
    }
    assert.equal(other, before);
    ac.abort();
    await beats.done;
  });

  it('runs the tasks due within 50 ms of each other in one wake-up', async () => {
    const clock = new ManualClock();
    const ac = new AbortController();
    const randoms = [0.1, 0.13, 0.2];
    const beats = new Heartbeats(clock, ac.signal, () => randoms.shift() ?? 0);
    const runs: string[] = [];
    for (const name of ['a', 'b', 'c']) beats.every(1000, async () => void runs.push(`${name}@${clock.now()}`));
    clock.advance(100);
    assert.deepEqual(runs, ['a@100', 'b@100']);
    clock.advance(100);
    assert.deepEqual(runs, ['a@100', 'b@100', 'c@200']);
    ac.abort();
    await beats.done;
  });

  it('does nothing on an aborted signal', async () => {
    const clock = new ManualClock();
    const beats = new Heartbeats(clock, AbortSignal.abort());
    let runs = 0;
    beats.every(10, async () => void runs++);
    clock.advance(100);
    await beats.done;
    assert.equal(runs, 0);
    assert.equal(clock.pending(), 0);
  });
});
