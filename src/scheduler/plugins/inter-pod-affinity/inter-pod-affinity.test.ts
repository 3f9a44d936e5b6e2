import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Affinity, Pod } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../../framework/cycle-state.js';
import type { NodeScore } from '../../framework/interfaces.js';
import { staticListers, type SchedulerListers } from '../../framework/listers.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { PodInfo } from '../../framework/pod-info.js';
import { Code } from '../../framework/status.js';
import { FitError, PodScheduler } from '../../schedule-pod.js';
import { makeNode, makePod } from '../../testing/fixtures.js';
import { nodeInfos, testFramework } from '../../testing/framework.js';
import { defaultPlugins } from '../registry.js';
import { ERR_REASON_AFFINITY, ERR_REASON_ANTI_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY, InterPodAffinity } from './inter-pod-affinity.js';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const zoneNodes = () => [makeNode('n1', { labels: { [ZONE]: 'a' } }), makeNode('n2', { labels: { [ZONE]: 'b' } }), makeNode('n3', { labels: { [ZONE]: 'c' } })];

function pod(name: string, labels: Record<string, string>, opts: { node?: string; affinity?: Affinity; namespace?: string } = {}): Pod {
  return makePod(name, { nodeName: opts.node, labels, namespace: opts.namespace, spec: opts.affinity ? { affinity: opts.affinity } : {} });
}

const term = (app: string, topologyKey: string, extra: object = {}) => ({ labelSelector: { matchLabels: { app } }, topologyKey, ...extra });

function filterAll(nodes: NodeInfo[], p: Pod, listers?: SchedulerListers) {
  const plugin = new InterPodAffinity(testFramework(defaultPlugins(), nodes, listers));
  const state = new CycleState();
  const info = new PodInfo(p);
  const pre = plugin.preFilter(state, info, nodes);
  if (pre.status) return pre.status.code === Code.Skip ? 'skip' : pre.status.message();
  return nodes.map((n) => {
    const s = plugin.filter(state, info, n);
    return s ? `${s.code === Code.UnschedulableAndUnresolvable ? 'unresolvable' : 'unschedulable'}: ${s.message()}` : 'ok';
  });
}

function scoreAll(nodes: NodeInfo[], p: Pod) {
  const plugin = new InterPodAffinity(testFramework(defaultPlugins(), nodes));
  const state = new CycleState();
  const info = new PodInfo(p);
  const pre = plugin.preScore(state, info, nodes);
  if (pre) return pre.code === Code.Skip ? 'skip' : pre.message();
  const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: plugin.score(state, info, n) }));
  const raw = scores.map((s) => s.score);
  plugin.normalizeScore(state, info, scores);
  return { raw, normalized: scores.map((s) => s.score) };
}

test('required anti-affinity keeps the Pod away from the domains of matching Pods', () => {
  const nodes = nodeInfos(zoneNodes(), [pod('w1', { app: 'web' }, { node: 'n1' })]);
  const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', HOST)] } };
  assert.deepEqual(filterAll(nodes, pod('p', { app: 'web' }, { affinity: anti })), [`unschedulable: ${ERR_REASON_ANTI_AFFINITY}`, 'ok', 'ok']);
  assert.equal(filterAll(nodes, pod('p', { app: 'web' })), 'skip');
  // Pods of another namespace do not count unless the term names it.
  assert.deepEqual(filterAll(nodes, pod('p', { app: 'web' }, { affinity: anti, namespace: 'other' })), ['ok', 'ok', 'ok']);
});

test("an existing Pod's required anti-affinity rejects an incoming Pod it selects, in its domain", () => {
  const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', ZONE)] } };
  const nodes = nodeInfos([...zoneNodes(), makeNode('n4', { labels: { [ZONE]: 'a' } })], [pod('lonely', { app: 'db' }, { node: 'n1', affinity: anti })]);
  assert.deepEqual(filterAll(nodes, pod('p', { app: 'web' })), [`unschedulable: ${ERR_REASON_EXISTING_ANTI_AFFINITY}`, 'ok', 'ok', `unschedulable: ${ERR_REASON_EXISTING_ANTI_AFFINITY}`]);
  assert.equal(filterAll(nodes, pod('p', { app: 'other' })), 'skip');
});

test('required affinity needs a matching Pod in the domain; the first of a group may go anywhere if it matches itself', () => {
  const aff = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', ZONE)] } };
  const nodes = nodeInfos([...zoneNodes(), makeNode('bare')], [pod('db', { app: 'db' }, { node: 'n2' })]);
  const no = `unresolvable: ${ERR_REASON_AFFINITY}`;
  assert.deepEqual(filterAll(nodes, pod('p', { app: 'web' }, { affinity: aff })), [no, 'ok', no, no]);
  const empty = nodeInfos([...zoneNodes(), makeNode('bare')]);
  assert.deepEqual(filterAll(empty, pod('p', { app: 'db' }, { affinity: aff })), ['ok', 'ok', 'ok', no], 'self-match, topology key needed');
  assert.deepEqual(filterAll(empty, pod('p', { app: 'web' }, { affinity: aff })), [no, no, no, no]);
});

test('namespaceSelector selects the Pods of the namespaces with those labels', () => {
  const listers = staticListers({ namespaces: [{ metadata: { name: 'team-a', labels: { team: 'a' } } }, { metadata: { name: 'team-b', labels: { team: 'b' } } }] });
  const nodes = nodeInfos(zoneNodes(), [pod('x', { app: 'web' }, { node: 'n1', namespace: 'team-a' }), pod('y', { app: 'web' }, { node: 'n2', namespace: 'team-b' })]);
  const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', HOST, { namespaceSelector: { matchLabels: { team: 'a' } } })] } };
  assert.deepEqual(filterAll(nodes, pod('p', {}, { affinity: anti }), listers), [`unschedulable: ${ERR_REASON_ANTI_AFFINITY}`, 'ok', 'ok']);
  const all = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', HOST, { namespaceSelector: {} })] } };
  assert.deepEqual(filterAll(nodes, pod('p', {}, { affinity: all }), listers), [`unschedulable: ${ERR_REASON_ANTI_AFFINITY}`, `unschedulable: ${ERR_REASON_ANTI_AFFINITY}`, 'ok']);
});

test('preferred terms score per domain, min-max normalised', () => {
  const nodes = nodeInfos(zoneNodes(), [pod('db', { app: 'db' }, { node: 'n1' }), pod('w1', { app: 'web' }, { node: 'n1' }), pod('w2', { app: 'web' }, { node: 'n2' })]);
  const affinity: Affinity = {
    podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 80, podAffinityTerm: term('db', ZONE) }] },
    podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 20, podAffinityTerm: term('web', ZONE) }] },
  };
  // zone a: 80 − 20 = 60, b: −20, c: 0; normalised 100 × (s + 20) / 80.
  assert.deepEqual(scoreAll(nodes, pod('p', { app: 'web' }, { affinity })), { raw: [60, -20, 0], normalized: [100, 0, 25] });
  assert.equal(scoreAll(nodes, pod('p', { app: 'web' })), 'skip', 'no terms anywhere');
});

test("existing Pods' terms score too: required affinity with hardPodAffinityWeight 1, preferred with their weights", () => {
  const nodes = nodeInfos(zoneNodes(), [
    pod('needs-web', { app: 'x' }, { node: 'n1', affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', HOST)] } } }),
    pod('avoids-web', { app: 'y' }, { node: 'n2', affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term('web', ZONE) }] } } }),
  ]);
  // n1 +1, n2 −10, n3 0; normalised 100 × (s + 10) / 11.
  assert.deepEqual(scoreAll(nodes, pod('p', { app: 'web' })), { raw: [1, -10, 0], normalized: [100, 0, 90] });
});

test('the default profile keeps anti-affine replicas on distinct nodes and says why the fourth does not fit', () => {
  const nodes = nodeInfos(zoneNodes());
  const fwk = testFramework(defaultPlugins(), nodes);
  const sched = new PodScheduler(() => 0);
  const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', HOST)] } };
  const hosts: string[] = [];
  for (let i = 0; i < 3; i++) {
    const p = pod(`w${i}`, { app: 'web' }, { affinity: anti });
    const host = sched.schedule(fwk, new CycleState(), new PodInfo(p), nodes).suggestedHost;
    hosts.push(host);
    nodes.find((n) => n.name === host)?.addPod(new PodInfo({ ...p, spec: { ...p.spec, containers: p.spec?.containers ?? [], nodeName: host } }));
  }
  assert.deepEqual(hosts.sort(), ['n1', 'n2', 'n3']);
  assert.throws(
    () => sched.schedule(fwk, new CycleState(), new PodInfo(pod('w3', { app: 'web' }, { affinity: anti })), nodes),
    (err: unknown) => err instanceof FitError && err.message() === "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.",
  );
  // A Pod with required affinity to the web Pods' zone lands with one of them; one they reject does not.
  const friend = pod('friend', { app: 'f' }, { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', ZONE)] } } });
  assert.ok(['n1', 'n2', 'n3'].includes(sched.schedule(fwk, new CycleState(), new PodInfo(friend), nodes).suggestedHost));
});
