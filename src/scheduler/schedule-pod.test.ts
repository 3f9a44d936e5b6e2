import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState } from './framework/cycle-state.js';
import { PodInfo } from './framework/pod-info.js';
import { defaultPlugins } from './plugins/registry.js';
import { FitError, PodScheduler } from './schedule-pod.js';
import { numFeasibleNodesToFind } from './num-feasible-nodes.js';
import { makeNode, makePod } from './testing/fixtures.js';
import { nodeInfos, testFramework } from './testing/framework.js';

function schedule(nodes: ReturnType<typeof nodeInfos>, pod: ReturnType<typeof makePod>) {
  const fwk = testFramework(defaultPlugins(), nodes);
  return new PodScheduler(() => 0).schedule(fwk, new CycleState(), new PodInfo(pod), nodes);
}

function fitError(nodes: ReturnType<typeof nodeInfos>, pod: ReturnType<typeof makePod>): string {
  try {
    schedule(nodes, pod);
  } catch (err) {
    if (err instanceof FitError) return err.message();
    throw err;
  }
  assert.fail('expected a FitError');
}

test('numFeasibleNodesToFind follows the adaptive formula', () => {
  assert.equal(numFeasibleNodesToFind(50), 50);
  assert.equal(numFeasibleNodesToFind(100), 100);
  assert.equal(numFeasibleNodesToFind(1000), 420);
  assert.equal(numFeasibleNodesToFind(5000), 500);
  assert.equal(numFeasibleNodesToFind(6000), 300);
  assert.equal(numFeasibleNodesToFind(1000, 10), 100);
  assert.equal(numFeasibleNodesToFind(1000, 100), 1000);
});

test('the FitError message counts the reasons per node, sorted', () => {
  const nodes = nodeInfos([makeNode('a', { cpu: '1' }), makeNode('b', { cpu: '1', unschedulable: true }), makeNode('c', { cpu: '1', taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] })]);
  assert.equal(fitError(nodes, makePod('p', { cpu: '2' })), "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {k: v}, 1 node(s) were unschedulable.");
  const three = nodeInfos([makeNode('a', { cpu: '1' }), makeNode('b', { cpu: '1' }), makeNode('c', { cpu: '1' })]);
  assert.equal(fitError(three, makePod('p', { cpu: '2' })), '0/3 nodes are available: 3 Insufficient cpu.');
  assert.equal(fitError([], makePod('p')), 'no nodes available to schedule pods');
});

test('least allocated and balanced scoring prefer the emptier node', () => {
  const nodes = nodeInfos([makeNode('busy'), makeNode('idle')], [makePod('x', { cpu: '3', memory: '6Gi', nodeName: 'busy' })]);
  assert.equal(schedule(nodes, makePod('p', { cpu: '100m', memory: '100Mi' })).suggestedHost, 'idle');
});

test('nodeSelector, required affinity, host ports, cordon and pod count keep pods off nodes', () => {
  const nodes = nodeInfos(
    [makeNode('a', { labels: { disk: 'ssd' } }), makeNode('b', { labels: { disk: 'hdd' } })],
    [makePod('web', { nodeName: 'a', spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] } })],
  );
  assert.equal(schedule(nodes, makePod('p', { spec: { nodeSelector: { disk: 'hdd' } } })).suggestedHost, 'b');
  const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'NotIn', values: ['hdd'] }] }] } } };
  assert.equal(schedule(nodes, makePod('p', { spec: { affinity } })).suggestedHost, 'a');
  assert.equal(schedule(nodes, makePod('p', { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] } })).suggestedHost, 'b');
  assert.equal(fitError(nodes, makePod('p', { spec: { nodeSelector: { disk: 'nvme' } } })), "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.");
  const cordoned = nodeInfos([makeNode('a', { unschedulable: true }), makeNode('b', { pods: '1' })], [makePod('x', { nodeName: 'b' })]);
  assert.equal(fitError(cordoned, makePod('p')), '0/2 nodes are available: 1 Too many pods, 1 node(s) were unschedulable.');
});

test('preferred node affinity and PreferNoSchedule taints steer the choice', () => {
  const nodes = nodeInfos([makeNode('a', { labels: { zone: 'x' } }), makeNode('b', { labels: { zone: 'y' } })]);
  const pref = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['y'] }] } }] } };
  assert.equal(schedule(nodes, makePod('p', { spec: { affinity: pref } })).suggestedHost, 'b');
  const tainted = nodeInfos([makeNode('a', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] }), makeNode('b')]);
  assert.equal(schedule(tainted, makePod('p')).suggestedHost, 'b');
  assert.equal(schedule(tainted.slice(0, 1), makePod('p')).suggestedHost, 'a', 'a preference is not a requirement');
});
