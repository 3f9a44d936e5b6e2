import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState } from '../../framework/cycle-state.js';
import { PodInfo } from '../../framework/pod-info.js';
import { makeNode, makePod } from '../../testing/fixtures.js';
import { nodeInfos } from '../../testing/framework.js';
import { NodeResourcesBalancedAllocation, balancedScore } from '../balanced-allocation/balanced-allocation.js';
import { NodeResourcesFit, leastRequestedScore } from './node-resources-fit.js';

test('filter reports every insufficient resource', () => {
  const [node] = nodeInfos([makeNode('n', { cpu: '1', memory: '1Gi', pods: '1' })], [makePod('x', { cpu: '500m', nodeName: 'n' })]);
  assert.ok(node);
  const status = new NodeResourcesFit().filter(new CycleState(), new PodInfo(makePod('p', { cpu: '600m', memory: '2Gi' })), node);
  assert.deepEqual(status?.reasons, ['Too many pods', 'Insufficient cpu', 'Insufficient memory']);
});

test('least allocated counts pods without requests as 100m / 200Mi', () => {
  assert.equal(leastRequestedScore(1000, 4000), 75);
  assert.equal(leastRequestedScore(5000, 4000), 0);
  const [node] = nodeInfos([makeNode('n', { cpu: '1', memory: '1000Mi' })]);
  assert.ok(node);
  // cpu (1000-100)*100/1000 = 90, memory (1000-200)*100/1000 = 80 → 85
  assert.equal(new NodeResourcesFit().score(new CycleState(), new PodInfo(makePod('p')), node), 85);
});

test('balanced allocation is (1 - |cpu - memory| / 2) * 100 on actual requests', () => {
  assert.equal(balancedScore([0.5, 0.5]), 100);
  assert.equal(balancedScore([0.2, 0.6]), 80);
  const [node] = nodeInfos([makeNode('n', { cpu: '4', memory: '8Gi' })]);
  assert.ok(node);
  assert.equal(new NodeResourcesBalancedAllocation().score(new CycleState(), new PodInfo(makePod('p', { cpu: '2', memory: '2Gi' })), node), 87);
});
