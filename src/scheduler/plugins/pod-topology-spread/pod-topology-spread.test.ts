import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../../framework/cycle-state.js';
import type { NodeScore } from '../../framework/interfaces.js';
import { staticListers } from '../../framework/listers.js';
import { NodeInfo } from '../../framework/node-info.js';
import { PodInfo, podKey } from '../../framework/pod-info.js';
import { Code } from '../../framework/status.js';
import { FitError, PodScheduler } from '../../schedule-pod.js';
import { makeNode, makePod } from '../../testing/fixtures.js';
import { nodeInfos, testFramework } from '../../testing/framework.js';
import { defaultPlugins } from '../registry.js';
import { ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH, PodTopologySpread } from './pod-topology-spread.js';

const ZONE = 'topology.kubernetes.io/zone';
const zoneNodes = () => [makeNode('n1', { labels: { [ZONE]: 'a' } }), makeNode('n2', { labels: { [ZONE]: 'b' } }), makeNode('n3', { labels: { [ZONE]: 'c' } })];

function spread(c: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint {
  return { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...c };
}

function web(name: string, nodeName?: string, constraints: TopologySpreadConstraint[] = []): Pod {
  return makePod(name, { nodeName, labels: { app: 'web' }, spec: constraints.length ? { topologySpreadConstraints: constraints } : {} });
}

function plugin(nodes: NodeInfo[], listers = staticListers()) {
  return new PodTopologySpread(testFramework(defaultPlugins(), nodes, listers));
}

function filterAll(nodes: NodeInfo[], pod: Pod, listers = staticListers()) {
  const p = plugin(nodes, listers);
  const state = new CycleState();
  const info = new PodInfo(pod);
  const pre = p.preFilter(state, info, nodes);
  if (pre.status) return pre.status.code === Code.Skip ? 'skip' : pre.status.message();
  return nodes.map((n) => p.filter(state, info, n)?.message() ?? 'ok');
}

function scoreAll(nodes: NodeInfo[], pod: Pod, listers = staticListers(), p = plugin(nodes, listers)) {
  const state = new CycleState();
  const info = new PodInfo(pod);
  const pre = p.preScore(state, info, nodes);
  if (pre) return pre.code === Code.Skip ? 'skip' : pre.message();
  const raw: NodeScore[] = nodes.map((n) => ({ name: n.name, score: p.score(state, info, n) }));
  const before = raw.map((s) => s.score);
  p.normalizeScore(state, info, raw);
  return { raw: before, normalized: raw.map((s) => s.score) };
}

test('DoNotSchedule: only the zones where one more Pod keeps the skew within maxSkew pass', () => {
  const nodes = nodeInfos(zoneNodes(), [web('a1', 'n1'), web('a2', 'n1'), web('b1', 'n2'), makePod('other', { nodeName: 'n3', labels: { app: 'db' } })]);
  assert.deepEqual(filterAll(nodes, web('p', undefined, [spread()])), [ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_CONSTRAINTS_NOT_MATCH, 'ok']);
  assert.deepEqual(filterAll(nodes, web('p', undefined, [spread({ maxSkew: 2 })])), [ERR_REASON_CONSTRAINTS_NOT_MATCH, 'ok', 'ok']);
  // A Pod its own selector does not match adds nothing to a domain: 2 + 0 − 0 > 1 only in zone a.
  assert.deepEqual(filterAll(nodes, makePod('q', { labels: { app: 'x' }, spec: { topologySpreadConstraints: [spread()] } })), [ERR_REASON_CONSTRAINTS_NOT_MATCH, 'ok', 'ok']);
  assert.equal(filterAll(nodes, web('p')), 'skip', 'no constraints, no Service or controller');
});

test('a node without the topology key is unresolvable; minDomains makes the global minimum 0', () => {
  const nodes = nodeInfos([...zoneNodes().slice(0, 2), makeNode('bare')], [web('a1', 'n1'), web('b1', 'n2')]);
  const res = filterAll(nodes, web('p', undefined, [spread()]));
  assert.deepEqual(res, ['ok', 'ok', ERR_REASON_NODE_LABEL_NOT_MATCH]);
  assert.equal(ERR_REASON_NODE_LABEL_NOT_MATCH, "node(s) didn't match pod topology spread constraints (missing required label)");
  // Two domains < minDomains 3: skew = 1 + 1 − 0 = 2 > 1 everywhere.
  assert.deepEqual(filterAll(nodes, web('p', undefined, [spread({ minDomains: 3 })])).slice(0, 2), [ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_CONSTRAINTS_NOT_MATCH]);
});

test('nodeTaintsPolicy Honor leaves a tainted node out of the domains; matchLabelKeys narrows the selector', () => {
  const nodes = nodeInfos(
    [...zoneNodes().slice(0, 2), makeNode('n3', { labels: { [ZONE]: 'c' }, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] })],
    [web('a1', 'n1'), web('b1', 'n2')],
  );
  // Ignore (default): zone c has 0, so a and b are at skew 2.
  assert.deepEqual(filterAll(nodes, web('p', undefined, [spread()])).slice(0, 2), [ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_CONSTRAINTS_NOT_MATCH]);
  assert.deepEqual(filterAll(nodes, web('p', undefined, [spread({ nodeTaintsPolicy: 'Honor' })])).slice(0, 2), ['ok', 'ok']);
  const v1 = (name: string, node?: string) => makePod(name, { nodeName: node, labels: { app: 'web', version: name.startsWith('new') ? '2' : '1' } });
  const nodes2 = nodeInfos(zoneNodes(), [v1('old-1', 'n1'), v1('old-2', 'n1')]);
  const pod = v1('new');
  pod.spec = { ...pod.spec, containers: pod.spec?.containers ?? [], topologySpreadConstraints: [spread({ matchLabelKeys: ['version'] })] };
  assert.deepEqual(filterAll(nodes2, pod), ['ok', 'ok', 'ok'], 'only version=2 Pods count');
});

test('ScheduleAnyway scores: count × log(domains + 2) + maxSkew − 1, rounded, then 100 × (max + min − s) / max', () => {
  const nodes = nodeInfos(zoneNodes(), [web('a1', 'n1'), web('a2', 'n1'), web('b1', 'n2')]);
  const res = scoreAll(nodes, web('p', undefined, [spread({ whenUnsatisfiable: 'ScheduleAnyway' })]));
  // log(5) = 1.609: a 2 × 1.609 = 3.22 → 3, b 1.61 → 2, c 0; normalised: 100 × (3 + 0 − s) / 3.
  assert.deepEqual(res, { raw: [3, 2, 0], normalized: [0, 33, 100] });
  // Hostname and zone together, maxSkew 2 on hostname: + 1 each; hostname weight log(3 + 2).
  const both = scoreAll(nodes, web('p', undefined, [spread({ whenUnsatisfiable: 'ScheduleAnyway' }), spread({ whenUnsatisfiable: 'ScheduleAnyway', topologyKey: 'kubernetes.io/hostname', maxSkew: 2 })]));
  // n1: 3.219 + 3.219 + 1 = 7.44 → 7; n2: 1.609 + 1.609 + 1 = 4.22 → 4; n3: 1 → 1. 100 × (7 + 1 − s) / 7.
  assert.deepEqual(both, { raw: [7, 4, 1], normalized: [14, 57, 100] });
  assert.equal(scoreAll(nodes, web('p', undefined, [spread()])), 'skip', 'DoNotSchedule constraints do not score');
});

test("the system defaults apply to a Pod of a ReplicaSet or a Service, with the controller's selector", () => {
  const nodes = nodeInfos(
    [makeNode('n1', { labels: { [ZONE]: 'a' } }), makeNode('n2', { labels: { [ZONE]: 'a' } }), makeNode('n3')],
    [web('w1', 'n1'), web('w2', 'n1'), web('w3', 'n2')],
  );
  const owned = web('p');
  owned.metadata = { ...owned.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true }] };
  const listers = staticListers({ replicaSets: [{ metadata: { name: 'rs', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, template: {} } }] });
  assert.equal(filterAll(nodes, owned, listers), 'skip', 'the defaults are ScheduleAnyway');
  // hostname (maxSkew 3, weight log(3 + 2)) and zone (maxSkew 5; domains a and '' of the unlabelled node: log(2 + 2)).
  // n1: 2 × 1.609 + 2 + 3 × 1.386 + 4 = 13.38 → 13; n2: 1.609 + 2 + 4.159 + 4 = 11.77 → 12; n3 (no zone label, not
  // ignored with the system defaults): 0 + 2 = 2. Normalised 100 × (13 + 2 − s) / 13.
  assert.deepEqual(scoreAll(nodes, owned, listers), { raw: [13, 12, 2], normalized: [15, 23, 100] });
  assert.equal(scoreAll(nodes, web('p'), listers), 'skip', 'no controller');
  const svc = staticListers({ services: [{ metadata: { name: 's', namespace: 'default' }, spec: { selector: { app: 'web' } } }] });
  assert.deepEqual(scoreAll(nodes, web('p'), svc), { raw: [13, 12, 2], normalized: [15, 23, 100] });
});

test('the default profile spreads 6 Pods 2 per zone, then keeps a full zone from unbalancing the others', () => {
  const nodes = nodeInfos([makeNode('n1', { labels: { [ZONE]: 'a' } }), makeNode('n2', { labels: { [ZONE]: 'b' } }), makeNode('n3', { labels: { [ZONE]: 'c' }, cpu: '2' })]);
  const fwk = testFramework(defaultPlugins(), nodes);
  const sched = new PodScheduler(() => 0);
  const place = (i: number) => {
    const pod = makePod(`p${i}`, { cpu: '1', labels: { app: 'web' }, spec: { topologySpreadConstraints: [spread()] } });
    const host = sched.schedule(fwk, new CycleState(), new PodInfo(pod), nodes).suggestedHost;
    nodes.find((n) => n.name === host)?.addPod(new PodInfo({ ...pod, spec: { ...pod.spec, containers: pod.spec?.containers ?? [], nodeName: host } }));
    return host;
  };
  const hosts = [0, 1, 2, 3, 4, 5].map(place);
  assert.deepEqual([...hosts].sort(), ['n1', 'n1', 'n2', 'n2', 'n3', 'n3']);
  assert.notEqual(place(6), 'n3', 'zone c is full');
  assert.notEqual(place(7), 'n3');
  try {
    place(8);
    assert.fail('expected a FitError');
  } catch (err) {
    assert.ok(err instanceof FitError);
    assert.equal(err.message(), "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match pod topology spread constraints.");
  }
});

test('ScheduleAnyway: the sums a plugin keeps between cycles follow Pods, labels and nodes as they change, as a fresh count does', () => {
  const nodes = nodeInfos([...zoneNodes(), makeNode('n4', { labels: { [ZONE]: 'a' } }), makeNode('n5')], [web('a1', 'n1'), web('b1', 'n2'), web('c1', 'n3')]);
  const listers = staticListers();
  const kept = plugin(nodes, listers);
  const anyway = spread({ whenUnsatisfiable: 'ScheduleAnyway' });
  const pods = [web('p', undefined, [anyway]), web('q', undefined, [{ ...anyway, nodeTaintsPolicy: 'Honor' }]), makePod('r', { labels: { app: 'web' }, spec: { nodeSelector: { [ZONE]: 'a' }, topologySpreadConstraints: [anyway] } })];
  const n = (name: string) => nodes.find((x) => x.name === name) as NodeInfo;
  const steps: [string, () => void][] = [
    ['start', () => {}],
    ['a Pod added in zone a', () => n('n4').addPod(new PodInfo(web('a2', 'n4')))],
    ['two more on n1, one not matching', () => [web('a3', 'n1'), makePod('x', { nodeName: 'n1', labels: { app: 'db' } })].forEach((p) => n('n1').addPod(new PodInfo(p)))],
    ['the Pod in zone b removed', () => n('n2').removePod(podKey(web('b1', 'n2')))],
    ['the zone c node gone', () => nodes.splice(nodes.indexOf(n('n3')), 1)],
    ['a node in zone b with two Pods', () => nodes.push(nodeInfos([makeNode('n6', { labels: { [ZONE]: 'b' } })], [web('b2', 'n6'), web('b3', 'n6')])[0] as NodeInfo)],
    ['n1 relabelled to zone b', () => n('n1').setNode(makeNode('n1', { labels: { [ZONE]: 'b' } }))],
    ['n5 given a zone', () => n('n5').setNode(makeNode('n5', { labels: { [ZONE]: 'c' } }))],
  ];
  const seen = new Set<string>();
  for (const [what, change] of steps) {
    change();
    for (const pod of pods) {
      const fresh = scoreAll(nodes, pod, listers);
      assert.deepEqual(scoreAll(nodes, pod, listers, kept), fresh, `${what}: ${pod.metadata?.name ?? ''}`);
      seen.add(JSON.stringify(fresh));
    }
  }
  assert.ok(seen.size >= 6, 'the changes move the scores');
});
