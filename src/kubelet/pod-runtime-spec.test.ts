import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { containerSpec, parseResolvConf, podDns, qosClass, sandboxSpec } from './pod-runtime-spec.js';

const pod = (spec: Partial<NonNullable<Pod['spec']>>): Pod => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } });
const GiB = 2 ** 30;

describe('pod runtime spec', () => {
  it('reads resolv.conf and merges spec.dnsConfig; None uses only the Pod’s', () => {
    const host = parseResolvConf('# comment\nnameserver 10.0.0.2\nsearch a.example b.example\noptions ndots:2 edns0\n');
    assert.deepEqual(host, { servers: ['10.0.0.2'], searches: ['a.example', 'b.example'], options: ['ndots:2', 'edns0'] });
    const p = pod({ dnsConfig: { nameservers: ['1.1.1.1'], searches: ['c.example'], options: [{ name: 'ndots', value: '5' }] } });
    assert.deepEqual(podDns(p, host), { servers: ['10.0.0.2', '1.1.1.1'], searches: ['a.example', 'b.example', 'c.example'], options: ['ndots:5', 'edns0'] });
    assert.deepEqual(podDns({ ...p, spec: { ...p.spec!, dnsPolicy: 'None' } }, host), { servers: ['1.1.1.1'], searches: ['c.example'], options: ['ndots:5'] });
  });

  it('maps namespaces, ports, the security context and hostNetwork (no hostname)', () => {
    const s = sandboxSpec(pod({
      hostNetwork: true,
      hostPID: true,
      securityContext: { runAsUser: 1000, fsGroup: 2000, sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
      containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, protocol: 'UDP' }], securityContext: { privileged: true } }],
    }));
    assert.ok('hostname' in s && s.hostname === undefined);
    assert.deepEqual(s.portMappings, [{ protocol: 'TCP', containerPort: 80, hostPort: 8080 }, { protocol: 'UDP', containerPort: 53 }]);
    assert.deepEqual(s.linux, { namespaceOptions: { network: 'NODE', pid: 'NODE', ipc: 'POD' }, runAsUser: 1000, supplementalGroups: [2000], privileged: true, sysctls: { 'net.core.somaxconn': '1024' } });
    assert.equal(sandboxSpec(pod({ shareProcessNamespace: true })).linux?.namespaceOptions?.pid, 'POD');
  });

  it('turns resources into Linux limits with oom_score_adj by QoS class', () => {
    const guaranteed = pod({ containers: [{ name: 'c', image: 'b', resources: { limits: { cpu: '500m', memory: '64Mi' } } }] });
    assert.equal(qosClass(guaranteed), 'Guaranteed');
    assert.deepEqual(containerSpec(guaranteed, guaranteed.spec!.containers[0]!, 8 * GiB).linux?.resources, { cpuShares: 512, cpuPeriod: 100_000, cpuQuota: 50_000, memoryLimitInBytes: 64 * 2 ** 20, oomScoreAdj: -997 });
    const burstable = pod({ containers: [{ name: 'c', image: 'b', resources: { requests: { memory: '2Gi', cpu: '1m' } } }] });
    assert.equal(qosClass(burstable), 'Burstable');
    assert.deepEqual(containerSpec(burstable, burstable.spec!.containers[0]!, 8 * GiB).linux?.resources, { cpuShares: 2, oomScoreAdj: 750 });
    const bestEffort = pod({});
    assert.equal(qosClass(bestEffort), 'BestEffort');
    const c = containerSpec(bestEffort, { name: 'c', securityContext: { allowPrivilegeEscalation: false, runAsUser: 7, capabilities: { add: ['NET_ADMIN'] } } }, GiB);
    assert.deepEqual(c.linux?.resources, { cpuShares: 2, oomScoreAdj: 1000 });
    assert.equal(c.linux?.securityContext?.noNewPrivs, true);
    assert.equal(c.linux?.securityContext?.runAsUser, 7);
    assert.deepEqual(c.linux?.securityContext?.capabilities, { addCapabilities: ['NET_ADMIN'], dropCapabilities: [] });
  });
});
