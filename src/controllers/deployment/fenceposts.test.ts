import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { maxSurge, maxUnavailable, resolveFenceposts, scaledValue } from './fenceposts.js';

const rolling = (replicas: number, surge: number | string, unavailable: number | string): Deployment => ({
  spec: { replicas, selector: {}, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } },
});

describe('fenceposts', () => {
  it('rounds surge up and unavailability down', () => {
    assert.deepEqual(resolveFenceposts('25%', '25%', 10), [3, 2]);
    assert.deepEqual(resolveFenceposts('25%', '25%', 3), [1, 0]);
    assert.deepEqual(resolveFenceposts('25%', '25%', 1), [1, 0]);
    assert.deepEqual(resolveFenceposts('50%', '50%', 5), [3, 2]);
    assert.equal(scaledValue('33%', 10, true), 4);
    assert.equal(scaledValue('33%', 10, false), 3);
    assert.equal(scaledValue(7, 10, false), 7);
  });

  it('when both resolve to zero, one Pod may be unavailable', () => {
    assert.deepEqual(resolveFenceposts(0, '10%', 5), [0, 1]);
    assert.deepEqual(resolveFenceposts(0, 0, 5), [0, 1]);
  });

  it('MaxUnavailable is capped at the replicas and 0 for Recreate or zero replicas', () => {
    assert.equal(maxUnavailable(rolling(2, 0, 5)), 2);
    assert.equal(maxUnavailable(rolling(0, 1, 1)), 0);
    assert.equal(maxSurge(rolling(10, '25%', '25%')), 3);
    const recreate: Deployment = { spec: { replicas: 3, selector: {}, template: {}, strategy: { type: 'Recreate' } } };
    assert.equal(maxSurge(recreate), 0);
    assert.equal(maxUnavailable(recreate), 0);
  });

  it('refuses a string that is not a percentage', () => {
    assert.throws(() => scaledValue('abc', 10, true), /not a percentage/);
  });
});
