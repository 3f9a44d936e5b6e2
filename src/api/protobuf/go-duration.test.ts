import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoDuration } from './go-duration.js';

describe('formatGoDuration', () => {
  it('matches Go time.Duration.String', () => {
    const cases: [bigint, string][] = [
      [0n, '0s'],
      [999n, '999ns'],
      [1_500n, '1.5µs'],
      [2_000_000n, '2ms'],
      [1_500_000_000n, '1.5s'],
      [90_000_000_000n, '1m30s'],
      [3_600_000_000_000n, '1h0m0s'],
      [-5_000_000_000n, '-5s'],
    ];
    for (const [nanos, text] of cases) assert.equal(formatGoDuration(nanos), text);
  });
});
