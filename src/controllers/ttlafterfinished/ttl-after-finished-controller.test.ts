import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from 'kubernetes-types/batch/v1.js';
import { jobExpiresAt } from './ttl-after-finished-controller.js';

const finished = (type: string, ttl: number | undefined, at = '2024-05-01T10:00:00Z'): Job => ({
  metadata: { name: 'j', namespace: 'ns' },
  spec: { template: {}, ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}) },
  status: { conditions: [{ type, status: 'True', lastTransitionTime: at }] },
});

describe('jobExpiresAt (upstream processTTL / timeLeft)', () => {
  it('finish time plus the TTL, for Complete and Failed', () => {
    assert.equal(jobExpiresAt(finished('Complete', 0)), Date.parse('2024-05-01T10:00:00Z'));
    assert.equal(jobExpiresAt(finished('Failed', 30)), Date.parse('2024-05-01T10:00:30Z'));
  });

  it('nothing for a Job without a TTL, not finished, or being deleted', () => {
    assert.equal(jobExpiresAt(finished('Complete', undefined)), undefined);
    assert.equal(jobExpiresAt(finished('SuccessCriteriaMet', 0)), undefined);
    const done = finished('Complete', 0);
    assert.equal(jobExpiresAt({ ...done, metadata: { ...done.metadata, deletionTimestamp: '2024-05-01T10:00:01Z' } }), undefined);
  });

  it('a finished condition without a time is an error', () => {
    assert.throws(() => jobExpiresAt(finished('Complete', 0, '')), /unable to find the time when the Job ns\/j finished/);
  });
});
