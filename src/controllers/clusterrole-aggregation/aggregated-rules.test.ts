import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterRole } from 'kubernetes-types/rbac/v1.js';
import { aggregatedRules } from './aggregated-rules.js';

const role = (name: string, labels: Record<string, string>, verbs: string[], aggregateFrom?: string): ClusterRole => ({
  metadata: { name, labels },
  rules: [{ verbs, apiGroups: [''], resources: ['pods'] }],
  ...(aggregateFrom ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [aggregateFrom]: 'true' } }] } } : {}),
});

test('an aggregated ClusterRole has the rules of the roles its selectors match, by name, each rule once, not its own', () => {
  const view = role('view', { 'to-edit': 'true' }, ['x'], 'to-view');
  const all = [view, role('b-view', { 'to-view': 'true' }, ['list']), role('a-view', { 'to-view': 'true' }, ['get']), role('dup', { 'to-view': 'true' }, ['get']), role('other', {}, ['delete'])];
  assert.deepEqual(aggregatedRules(view, all), [
    { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
    { verbs: ['list'], apiGroups: [''], resources: ['pods'] },
  ]);
  assert.equal(aggregatedRules(role('plain', {}, ['get']), all), undefined);
});
