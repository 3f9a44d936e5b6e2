import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState } from '../../framework/cycle-state.js';
import { PodInfo } from '../../framework/pod-info.js';
import { FitError, PodScheduler } from '../../schedule-pod.js';
import { makeNode, makePod } from '../../testing/fixtures.js';
import { nodeInfos, testFramework } from '../../testing/framework.js';
import { defaultPlugins } from '../registry.js';
import { pickCandidate, selectVictimsOnNode } from './select-victims.js';

async function failure(nodes: ReturnType<typeof nodeInfos>, pod: ReturnType<typeof makePod>) {
  const fwk = testFramework(defaultPlugins(), nodes);
  const state = new CycleState();
  const info = new PodInfo(pod);
  try {
    new PodScheduler(() => 0).schedule(fwk, state, info, nodes);
  } catch (err) {
    assert.ok(err instanceof FitError);
    const post = await fwk.runPostFilterPlugins(state, info, err.nodeStatuses);
    if (post.status) err.postFilterMsg = post.status.message();
    return { message: err.message(), nominated: post.result?.nominatedNodeName };
  }
  assert.fail('expected a FitError');
}

test("upstream's message when nothing can be preempted", async () => {
  const nodes = nodeInfos([makeNode('a', { cpu: '1' }), makeNode('b', { cpu: '1' }), makeNode('c', { cpu: '1' })]);
  assert.equal(
    (await failure(nodes, makePod('p', { cpu: '2' }))).message,
    '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..',
  );
  const tainted = nodeInfos([makeNode('a', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }), makeNode('b', { cpu: '1' })]);
  assert.equal(
    (await failure(tainted, makePod('p', { cpu: '2' }))).message,
    '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {k: v}. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling..',
  );
  assert.match((await failure(nodes, makePod('p', { cpu: '2', spec: { preemptionPolicy: 'Never' } }))).message, /\. preemption: not eligible due to preemptionPolicy=Never\.\.$/);
});

test('the fewest, least important victims are chosen, and the cheapest node', () => {
  const nodes = nodeInfos(
    [makeNode('a', { cpu: '2' }), makeNode('b', { cpu: '2' })],
    [makePod('a-low', { cpu: '1', priority: 1, nodeName: 'a' }), makePod('a-mid', { cpu: '1', priority: 5, nodeName: 'a' }), makePod('b-mid', { cpu: '2', priority: 5, nodeName: 'b' })],
  );
  const fwk = testFramework(defaultPlugins(), nodes);
  const pod = new PodInfo(makePod('p', { cpu: '1', priority: 10 }));
  const [a, b] = nodes;
  assert.ok(a && b);
  const onA = selectVictimsOnNode(fwk, new CycleState(), pod, a.clone());
  assert.deepEqual(onA.victims?.map((v) => v.key), ['default/a-low'], 'a-mid is reprieved');
  const onB = selectVictimsOnNode(fwk, new CycleState(), pod, b.clone());
  assert.deepEqual(onB.victims?.map((v) => v.key), ['default/b-mid']);
  assert.equal(a.pods.size, 2, 'the real node is untouched');
  assert.equal(pickCandidate([{ node: 'b', victims: onB.victims ?? [] }, { node: 'a', victims: onA.victims ?? [] }])?.node, 'a', 'the lower highest-priority victim wins');
  const none = selectVictimsOnNode(fwk, new CycleState(), new PodInfo(makePod('q', { cpu: '1', priority: 0 })), a.clone());
  assert.equal(none.status?.reasons[0], 'No preemption victims found for incoming pod');
});
