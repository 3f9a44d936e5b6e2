import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchingTolerations, minTolerationTimeMs, toleratesTaint } from './tolerations.js';

const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };

test('toleratesTaint: key, effect, Equal and Exists', () => {
  assert.ok(toleratesTaint({ key: unreachable.key, operator: 'Exists', effect: 'NoExecute' }, unreachable));
  assert.ok(toleratesTaint({ operator: 'Exists' }, unreachable));
  assert.ok(!toleratesTaint({ key: unreachable.key, operator: 'Exists', effect: 'NoSchedule' }, unreachable));
  assert.ok(toleratesTaint({ key: 'k', value: 'v' }, { key: 'k', value: 'v', effect: 'NoExecute' }));
  assert.ok(!toleratesTaint({ key: 'k', operator: 'Equal', value: 'w' }, { key: 'k', value: 'v', effect: 'NoExecute' }));
});

test('matching tolerations and the shortest toleration time', () => {
  assert.deepEqual(matchingTolerations([unreachable], []), { all: false, used: [] });
  const t300 = { key: unreachable.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
  const { all, used } = matchingTolerations([unreachable], [t300]);
  assert.ok(all);
  assert.equal(minTolerationTimeMs(used), 300_000);
  assert.equal(minTolerationTimeMs([{ operator: 'Exists' }]), -1);
  assert.equal(minTolerationTimeMs([t300, { ...t300, tolerationSeconds: 2 }]), 2_000);
  assert.equal(minTolerationTimeMs([{ ...t300, tolerationSeconds: -1 }]), 0);
  assert.equal(minTolerationTimeMs([]), 0);
});
