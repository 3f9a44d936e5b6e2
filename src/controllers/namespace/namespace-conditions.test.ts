import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NamespaceStatus } from 'kubernetes-types/core/v1.js';
import { NAMESPACE_DELETION_CONDITIONS, NamespaceConditionUpdater } from './namespace-conditions.js';

const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-01-01T00:00:10Z';

test('with nothing wrong every condition is False with upstream\'s all-clear reason and message', () => {
  const status: NamespaceStatus = { phase: 'Terminating' };
  assert.equal(new NamespaceConditionUpdater().update(status, T0), true);
  assert.deepEqual(
    status.conditions?.map((c) => [c.type, c.status, c.reason, c.message, c.lastTransitionTime]),
    [
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered', T0],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed', T0],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization', T0],
      ['NamespaceContentRemaining', 'False', 'ContentRemoved', 'All content successfully removed', T0],
      ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished', T0],
    ],
  );
  assert.equal(new NamespaceConditionUpdater().update(status, T1), false, 'nothing changed');
  assert.equal(status.conditions?.length, NAMESPACE_DELETION_CONDITIONS.length);
});

test('remaining content and finalizers are listed sorted; failures aggregate; the transition time moves only with the status', () => {
  const status: NamespaceStatus = {};
  new NamespaceConditionUpdater().update(status, T0);
  const u = new NamespaceConditionUpdater();
  u.contentRemaining({
    byResource: new Map([
      ['pods.', 2],
      ['configmaps.', 1],
      ['replicasets.apps', 0],
    ]),
    byFinalizer: new Map([
      ['example.com/hold', 3],
      ['a.io/b', 1],
    ]),
  });
  u.deleteContentFailed(new Error('zeta failed'));
  u.deleteContentFailed(new Error('alpha failed'));
  u.discoveryFailed(new Error('unable to retrieve the complete list of server APIs'));
  assert.equal(u.update(status, T1), true);
  const byType = new Map(status.conditions?.map((c) => [c.type, c]));
  assert.deepEqual(byType.get('NamespaceContentRemaining'), {
    type: 'NamespaceContentRemaining',
    status: 'True',
    lastTransitionTime: T1,
    reason: 'SomeResourcesRemain',
    message: 'Some resources are remaining: configmaps. has 1 resource instances, pods. has 2 resource instances',
  });
  assert.equal(byType.get('NamespaceFinalizersRemaining')?.message, 'Some content in the namespace has finalizers remaining: a.io/b in 1 resource instances, example.com/hold in 3 resource instances');
  assert.equal(byType.get('NamespaceFinalizersRemaining')?.reason, 'SomeFinalizersRemain');
  assert.equal(byType.get('NamespaceDeletionContentFailure')?.message, 'Failed to delete all resource types, 2 remaining: alpha failed, zeta failed');
  assert.equal(byType.get('NamespaceDeletionContentFailure')?.reason, 'ContentDeletionFailed');
  assert.equal(byType.get('NamespaceDeletionDiscoveryFailure')?.reason, 'DiscoveryFailed');
  assert.equal(byType.get('NamespaceDeletionGroupVersionParsingFailure')?.lastTransitionTime, T0, 'unchanged conditions keep their time');

  const again = new NamespaceConditionUpdater();
  again.contentRemaining({ byResource: new Map([['pods.', 1]]), byFinalizer: new Map() });
  assert.equal(again.update(status, '2025-01-01T00:00:20Z'), true);
  const remaining = status.conditions?.find((c) => c.type === 'NamespaceContentRemaining');
  assert.equal(remaining?.message, 'Some resources are remaining: pods. has 1 resource instances');
  assert.equal(remaining?.lastTransitionTime, T1, 'still True: the transition time stays');
});
