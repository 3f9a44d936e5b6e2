import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { RevisionAnnotation, RevisionHistoryAnnotation, setNewReplicaSetAnnotations } from './annotations.js';

const deployment = (annotations: Record<string, string> = {}): Deployment => ({
  metadata: { name: 'd', annotations },
  spec: { replicas: 4, selector: {}, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } },
});

describe('setNewReplicaSetAnnotations', () => {
  it('copies annotations but the skipped ones and sets the replicas annotations on a new ReplicaSet', () => {
    const rs: ReplicaSet = { metadata: { name: 'd-1' } };
    const d = deployment({ 'kubernetes.io/change-cause': 'why', [RevisionAnnotation]: '7', 'kubectl.kubernetes.io/last-applied-configuration': '{}' });
    assert.equal(setNewReplicaSetAnnotations(d, rs, 3, false), true);
    assert.deepEqual(rs.metadata?.annotations, {
      'kubernetes.io/change-cause': 'why',
      [RevisionAnnotation]: '3',
      'deployment.kubernetes.io/desired-replicas': '4',
      'deployment.kubernetes.io/max-replicas': '5',
    });
  });

  it('a rolled-back-to ReplicaSet keeps its old revisions in revision-history, bounded in length', () => {
    const rs: ReplicaSet = { metadata: { name: 'd-1', annotations: { [RevisionAnnotation]: '1' } } };
    setNewReplicaSetAnnotations(deployment(), rs, 3, true);
    assert.equal(rs.metadata?.annotations?.[RevisionAnnotation], '3');
    assert.equal(rs.metadata?.annotations?.[RevisionHistoryAnnotation], '1');
    setNewReplicaSetAnnotations(deployment(), rs, 5, true);
    assert.equal(rs.metadata?.annotations?.[RevisionHistoryAnnotation], '1,3');
    setNewReplicaSetAnnotations(deployment(), rs, 7, true, 4);
    assert.equal(rs.metadata?.annotations?.[RevisionHistoryAnnotation], '3,5');
  });

  it('never lowers a revision', () => {
    const rs: ReplicaSet = { metadata: { name: 'd-1', annotations: { [RevisionAnnotation]: '9' } } };
    assert.equal(setNewReplicaSetAnnotations(deployment(), rs, 4, true), false);
    assert.equal(rs.metadata?.annotations?.[RevisionAnnotation], '9');
  });
});
