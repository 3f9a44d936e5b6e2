import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, timeSince } from './human-duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

test('humanDuration matches apimachinery HumanDuration at every boundary', () => {
  const cases: [number, string][] = [
    [-2 * S, '<invalid>'],
    [-1999, '0s'],
    [-1 * S, '0s'],
    [0, '0s'],
    [999, '0s'],
    [1 * S, '1s'],
    [2 * M - 1, '119s'],
    [2 * M, '2m'],
    [2 * M + 2 * S, '2m2s'],
    [5 * M + 2 * S, '5m2s'],
    [10 * M - 1, '9m59s'],
    [10 * M, '10m'],
    [3 * H - 1, '179m'],
    [3 * H, '3h'],
    [3 * H + 5 * M, '3h5m'],
    [8 * H - 1, '7h59m'],
    [8 * H, '8h'],
    [10 * H, '10h'],
    [48 * H - 1, '47h'],
    [48 * H, '2d'],
    [50 * H, '2d2h'],
    [8 * D - 1, '7d23h'],
    [8 * D, '8d'],
    [2 * Y - 1, '729d'],
    [2 * Y, '2y'],
    [2 * Y + D, '2y1d'],
    [8 * Y - H, '7y364d'],
    [8 * Y, '8y'],
    [10 * Y + 100 * D, '10y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `humanDuration(${ms})`);
});

test('timeSince reads metav1.Time and MicroTime, <unknown> for the zero time', () => {
  const now = Date.parse('2025-01-15T12:00:00Z');
  assert.equal(timeSince('2025-01-15T02:00:00Z', now), '10h');
  assert.equal(timeSince('2025-01-15T11:59:30.123456Z', now), '29s');
  assert.equal(timeSince(undefined, now), '<unknown>');
  assert.equal(timeSince(null, now), '<unknown>');
  assert.equal(timeSince('0001-01-01T00:00:00Z', now), '<unknown>');
  assert.equal(timeSince('2025-01-15T12:00:05Z', now), '<invalid>');
});
