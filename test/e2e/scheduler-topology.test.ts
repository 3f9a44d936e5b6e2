// `skiff scheduler` (a real process) places Pods with topology spread constraints and inter-pod (anti-)affinity as
// upstream's PodTopologySpread and InterPodAffinity would, with the Pods created by real kubectl.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event as CoreEvent, Pod } from 'kubernetes-types/core/v1.js';
import { Http2Transport, loadClientConfig, RestClient, type ResourceClient } from '../../src/client/index.js';
import { startScheduler, type ComponentProcess } from '../support/component-process.js';
import { kubectlSkipReason } from '../support/kubectl.js';
import { kubectl, type Kubectl } from '../support/run-kubectl.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';

const ZONE = 'topology.kubernetes.io/zone';

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function nodeYaml(name: string, zone: string, cpu: string): string {
  return `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels: {kubernetes.io/hostname: ${name}, ${ZONE}: ${zone}}
status:
  capacity: {cpu: "${cpu}", memory: 4Gi, pods: "110"}
  allocatable: {cpu: "${cpu}", memory: 4Gi, pods: "110"}
  conditions:
  - {type: Ready, status: "True", reason: KubeletReady, message: ready}
---
`;
}

function podYaml(name: string, ns: string, labels: string, spec: string, cpu?: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
  labels: {${labels}}
spec:
${spec}
  containers:
  - name: c
    image: nginx
${cpu ? `    resources: {requests: {cpu: "${cpu}"}}\n` : ''}---
`;
}

const spreadSpec = `  topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: ${ZONE}
    whenUnsatisfiable: DoNotSchedule
    labelSelector: {matchLabels: {app: spread}}`;

const podAffinity = (kind: 'podAffinity' | 'podAntiAffinity', app: string, key = 'kubernetes.io/hostname') => `  affinity:
    ${kind}:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: {matchLabels: {app: ${app}}}
        topologyKey: ${key}`;

for (const version of ['1.27', '1.33']) {
  describe(`topology spreading and inter-pod affinity with kubectl ${version}`, { skip: kubectlSkipReason(version) }, () => {
    let server: SkiffProcess;
    let transport: Http2Transport;
    let pods: ResourceClient<Pod>;
    let events: ResourceClient<CoreEvent>;
    let scheduler: ComponentProcess;
    let k: Kubectl;

    const nodeOf = async (ns: string, name: string) => (await pods.get(ns, name)).spec?.nodeName;
    const boundTo = async (ns: string, name: string) => {
      await until(`${ns}/${name} bound`, async () => (await nodeOf(ns, name)) !== undefined);
      return (await nodeOf(ns, name)) ?? '';
    };
    const failedMessage = async (ns: string, name: string) => {
      let message = '';
      await until(`a FailedScheduling event for ${name}`, async () => {
        message = (await events.list(ns, { fieldSelector: `involvedObject.name=${name},reason=FailedScheduling` })).items.at(-1)?.message ?? '';
        return message !== '';
      });
      return message;
    };
    const perNode = async (ns: string) => {
      const counts: Record<string, number> = {};
      for (const p of (await pods.list(ns)).items) if (p.spec?.nodeName) counts[p.spec.nodeName] = (counts[p.spec.nodeName] ?? 0) + 1;
      return counts;
    };

    before(async () => {
      server = await startApiserver();
      transport = new Http2Transport(loadClientConfig(server.kubeconfig));
      const client = new RestClient(transport);
      pods = client.kind<Pod>('v1', 'Pod');
      events = client.kind<CoreEvent>('v1', 'Event');
      k = kubectl(version, server.kubeconfig);
      // Zone c's node has room for two 1-cpu Pods only.
      await k.ok(['create', '-f', '-'], { input: nodeYaml('za', 'a', '8') + nodeYaml('zb', 'b', '8') + nodeYaml('zc', 'c', '2') });
      scheduler = await startScheduler(server.dataDir);
    });
    after(async () => {
      await scheduler?.stop();
      k?.cleanup();
      transport?.close();
      await server?.stop();
    });

    test('maxSkew 1 on zones, DoNotSchedule: 6 Pods go 2 per zone; with zone c full, 2 more go to a and b, and the next is refused', async () => {
      await k.ok(['create', 'namespace', 'spread']);
      await k.ok(['create', '-f', '-'], { input: [0, 1, 2, 3, 4, 5].map((i) => podYaml(`s${i}`, 'spread', 'app: spread', spreadSpec, '1')).join('') });
      await until('6 Pods bound', async () => Object.values(await perNode('spread')).reduce((a, b) => a + b, 0) === 6);
      assert.deepEqual(await perNode('spread'), { za: 2, zb: 2, zc: 2 });
      await k.ok(['create', '-f', '-'], { input: podYaml('s6', 'spread', 'app: spread', spreadSpec, '1') });
      const seventh = await boundTo('spread', 's6');
      assert.ok(seventh === 'za' || seventh === 'zb', `s6 on ${seventh}`);
      await k.ok(['create', '-f', '-'], { input: podYaml('s7', 'spread', 'app: spread', spreadSpec, '1') });
      assert.equal(await boundTo('spread', 's7'), seventh === 'za' ? 'zb' : 'za', 'the zone with fewer Pods');
      await k.ok(['create', '-f', '-'], { input: podYaml('s8', 'spread', 'app: spread', spreadSpec, '1') });
      assert.equal(
        await failedMessage('spread', 's8'),
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match pod topology spread constraints. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..",
      );
      assert.match(await k.ok(['-n', 'spread', 'get', 'pod', 's8']), /s8\s+0\/1\s+Pending/);
    });

    test('required anti-affinity keeps replicas on distinct nodes and leaves the extra one Pending', async () => {
      await k.ok(['create', 'namespace', 'anti']);
      await k.ok(['create', '-f', '-'], { input: [0, 1, 2, 3].map((i) => podYaml(`solo-${i}`, 'anti', 'app: solo', podAffinity('podAntiAffinity', 'solo'))).join('') });
      await until('3 Pods bound', async () => Object.keys(await perNode('anti')).length === 3);
      assert.deepEqual(await perNode('anti'), { za: 1, zb: 1, zc: 1 });
      const pending = (await pods.list('anti')).items.filter((p) => !p.spec?.nodeName);
      assert.equal(pending.length, 1);
      const name = pending[0]?.metadata?.name ?? '';
      assert.equal(
        await failedMessage('anti', name),
        "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..",
      );
      assert.match(await k.ok(['-n', 'anti', 'describe', 'pod', name]), /FailedScheduling\s+.*didn't match pod anti-affinity rules/);
    });

    test("required affinity co-locates; a Pod nothing matches waits; an existing Pod's anti-affinity keeps others off its node", async () => {
      await k.ok(['create', 'namespace', 'co']);
      await k.ok(['create', '-f', '-'], { input: podYaml('db', 'co', 'app: db', `  nodeSelector: {${ZONE}: b}`) });
      assert.equal(await boundTo('co', 'db'), 'zb');
      await k.ok(['create', '-f', '-'], { input: podYaml('web', 'co', 'app: web', podAffinity('podAffinity', 'db')) + podYaml('orphan', 'co', 'app: orphan', podAffinity('podAffinity', 'missing')) });
      assert.equal(await boundTo('co', 'web'), 'zb');
      assert.equal(
        await failedMessage('co', 'orphan'),
        "0/3 nodes are available: 3 node(s) didn't match pod affinity rules. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..",
      );
      await k.ok(['create', '-f', '-'], { input: podYaml('loner', 'co', 'app: loner', `  nodeSelector: {${ZONE}: a}\n${podAffinity('podAntiAffinity', 'noisy')}`) });
      assert.equal(await boundTo('co', 'loner'), 'za');
      await k.ok(['create', '-f', '-'], { input: podYaml('noisy', 'co', 'app: noisy', `  nodeSelector: {${ZONE}: a}`) });
      assert.equal(
        await failedMessage('co', 'noisy'),
        "0/3 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling..",
      );
      await k.ok(['-n', 'co', 'delete', 'pod', 'loner', '--grace-period=0', '--force']);
      assert.equal(await boundTo('co', 'noisy'), 'za', 'bound once the Pod with the anti-affinity is gone');
    });
  });
}
