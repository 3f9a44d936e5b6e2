import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodInfo } from '../framework/pod-info.js';
import { makeNode, makePod } from '../testing/fixtures.js';
import { SchedulerCache } from './scheduler-cache.js';

test('an assumed pod counts on its node until forgotten, and is confirmed by the informer', () => {
  const cache = new SchedulerCache();
  cache.addNode(makeNode('n1'));
  const pod = makePod('p', { cpu: '1', nodeName: 'n1' });
  cache.assumePod(new PodInfo(pod), 'n1');
  assert.equal(cache.nodeInfo('n1')?.requested.milliCPU, 1000);
  assert.ok(cache.isAssumed('default/p'));
  cache.forgetPod('default/p');
  assert.equal(cache.nodeInfo('n1')?.requested.milliCPU, 0);
  cache.assumePod(new PodInfo(pod), 'n1');
  cache.finishBinding('default/p');
  cache.addPod(pod);
  assert.ok(!cache.isAssumed('default/p'));
  assert.equal(cache.nodeInfo('n1')?.requested.milliCPU, 1000);
  assert.equal(cache.nodeInfo('n1')?.pods.size, 1);
  cache.removePod(pod);
  assert.equal(cache.nodeInfo('n1')?.pods.size, 0);
});

test('pods bound to a node not yet known count once it appears; nodes keep their order', () => {
  const cache = new SchedulerCache();
  cache.addPod(makePod('p', { cpu: '500m', nodeName: 'later' }));
  assert.equal(cache.nodeInfos().length, 0);
  cache.addNode(makeNode('a'));
  cache.addNode(makeNode('later'));
  assert.deepEqual(cache.nodeInfos().map((n) => n.name), ['later', 'a']);
  assert.equal(cache.nodeInfo('later')?.requested.milliCPU, 500);
  cache.removeNode('a');
  assert.deepEqual(cache.nodeInfos().map((n) => n.name), ['later']);
});

test('the nodes with Pods with pod affinity terms are listed, and follow Pods coming and going', () => {
  const cache = new SchedulerCache();
  cache.addNode(makeNode('n1'));
  cache.addNode(makeNode('n2'));
  assert.deepEqual(cache.nodeInfosWithPodsWithAffinity(), []);
  const anti = makePod('a', { nodeName: 'n2', spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: {} }] } } } });
  cache.addPod(anti);
  cache.addPod(makePod('plain', { nodeName: 'n1' }));
  assert.deepEqual(cache.nodeInfosWithPodsWithAffinity().map((n) => n.name), ['n2']);
  assert.deepEqual(cache.nodeInfosWithPodsWithRequiredAntiAffinity().map((n) => [n.name, [...n.podsWithRequiredAntiAffinity.keys()]]), [['n2', ['default/a']]]);
  cache.removePod(anti);
  assert.deepEqual(cache.nodeInfosWithPodsWithAffinity(), []);
  assert.deepEqual(cache.nodeInfosWithPodsWithRequiredAntiAffinity(), []);
});

test("a node's memoized Pod counts are recounted after its Pods change", () => {
  const cache = new SchedulerCache();
  cache.addNode(makeNode('n1'));
  const node = cache.nodeInfo('n1')!;
  let passes = 0;
  const count = () => {
    const kept = node.countedPods('app=a');
    if (kept !== undefined) return kept;
    passes++;
    const n = [...node.pods.values()].filter((p) => p.pod.metadata?.labels?.app === 'a').length;
    node.rememberCount('app=a', n);
    return n;
  };
  assert.equal(count(), 0);
  cache.addPod(makePod('p1', { nodeName: 'n1', labels: { app: 'a' } }));
  assert.equal(count(), 1);
  assert.equal(count(), 1);
  assert.equal(passes, 2, 'the second read of an unchanged node is served from memory');
  cache.assumePod(new PodInfo(makePod('p2', { labels: { app: 'a' } })), 'n1');
  assert.equal(count(), 2);
  cache.removePod(makePod('p1', { nodeName: 'n1', labels: { app: 'a' } }));
  assert.equal(count(), 1);
  assert.equal(passes, 4);
});
