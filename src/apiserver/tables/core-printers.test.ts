import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints, Node, Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../kube-object.js';
import { toTable } from './table-convertor.js';

const NOW = Date.parse('2025-01-15T12:00:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString().replace('.000Z', 'Z');
const DAY = 24 * 3_600_000;

const cells = (kind: string, obj: object) =>
  toTable('', kind, [obj as KubeObject], { includeObject: 'None', now: NOW, withColumns: false }).rows![0]!.cells;

test('Node: status, roles, version and the wide addresses and system info', () => {
  const node: Node = {
    metadata: {
      name: 'cp-1',
      creationTimestamp: ago(40 * DAY),
      labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/': '', 'kubernetes.io/role': 'etcd' },
    },
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
      addresses: [{ type: 'Hostname', address: 'cp-1' }, { type: 'InternalIP', address: '10.0.0.1' }],
      nodeInfo: {
        kubeletVersion: 'v1.32.0',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        kernelVersion: '6.1.0',
        containerRuntimeVersion: 'containerd://1.7.24',
        architecture: 'amd64',
        bootID: '',
        kubeProxyVersion: '',
        machineID: '',
        operatingSystem: 'linux',
        systemUUID: '',
      },
    },
  };
  assert.deepEqual(cells('Node', node), [
    'cp-1',
    'Ready,SchedulingDisabled',
    'control-plane,etcd',
    '40d',
    'v1.32.0',
    '10.0.0.1',
    '<none>',
    'Debian GNU/Linux 12 (bookworm)',
    '6.1.0',
    'containerd://1.7.24',
  ]);
  const bare: Node = { metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } };
  assert.deepEqual(cells('Node', bare), ['n', 'NotReady', '<none>', '<unknown>', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  assert.equal(cells('Node', { metadata: { name: 'new' } })[1], 'Unknown');
});

test('Service: type, cluster IP, external IP by type, ports, selector', () => {
  const svc = (spec: Service['spec'], status?: Service['status']): Service => ({
    metadata: { name: 's', creationTimestamp: ago(DAY / 2) },
    spec,
    ...(status ? { status } : {}),
  });
  const tcp = (port: number, nodePort?: number) => ({ port, protocol: 'TCP', ...(nodePort ? { nodePort } : {}) });
  const cases: [string, Service, (string | number | boolean)[]][] = [
    [
      'cluster IP',
      svc({ type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [tcp(53), { port: 53, protocol: 'UDP' }], selector: { 'k8s-app': 'kube-dns' } }),
      ['s', 'ClusterIP', '10.96.0.10', '<none>', '53/TCP,53/UDP', '12h', 'k8s-app=kube-dns'],
    ],
    [
      'headless',
      svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [tcp(80)] }),
      ['s', 'ClusterIP', 'None', '<none>', '80/TCP', '12h', '<none>'],
    ],
    [
      'node port with external IPs',
      svc({ type: 'NodePort', clusterIP: '10.96.1.1', externalIPs: ['1.2.3.4', '5.6.7.8'], ports: [tcp(80, 30080)] }),
      ['s', 'NodePort', '10.96.1.1', '1.2.3.4,5.6.7.8', '80:30080/TCP', '12h', '<none>'],
    ],
    [
      'load balancer pending',
      svc({ type: 'LoadBalancer', clusterIP: '10.96.1.2', ports: [tcp(443, 31443)] }),
      ['s', 'LoadBalancer', '10.96.1.2', '<pending>', '443:31443/TCP', '12h', '<none>'],
    ],
    [
      'load balancer ingress, sorted and never clipped, then external IPs',
      svc(
        { type: 'LoadBalancer', clusterIP: '10.96.1.3', externalIPs: ['9.9.9.9'] },
        { loadBalancer: { ingress: [{ ip: '203.0.113.20' }, { hostname: 'a-very-long-name.elb.example.com' }, { ip: '203.0.113.20' }] } },
      ),
      ['s', 'LoadBalancer', '10.96.1.3', '203.0.113.20,a-very-long-name.elb.example.com,9.9.9.9', '<none>', '12h', '<none>'],
    ],
    [
      'external name',
      svc({ type: 'ExternalName', externalName: 'db.example.com' }),
      ['s', 'ExternalName', '<none>', 'db.example.com', '<none>', '12h', '<none>'],
    ],
  ];
  for (const [name, s, want] of cases) assert.deepEqual(cells('Service', s), want, name);
});

test('Endpoints: <none>, ip:port pairs, bare IPs without ports, the first three then a count', () => {
  const ep = (subsets: Endpoints['subsets']): Endpoints => ({ metadata: { name: 'e', creationTimestamp: ago(3_600_000) }, subsets });
  const addrs = (...ips: string[]) => ips.map((ip) => ({ ip }));
  assert.deepEqual(cells('Endpoints', ep(undefined)), ['e', '<none>', '60m']);
  assert.deepEqual(cells('Endpoints', ep([])), ['e', '<none>', '60m']);
  assert.equal(cells('Endpoints', ep([{ addresses: addrs('10.0.0.1'), ports: [{ port: 8080 }] }]))[1], '10.0.0.1:8080');
  assert.equal(cells('Endpoints', ep([{ addresses: addrs('fd00::1', '10.0.0.2') }]))[1], 'fd00::1,10.0.0.2');
  assert.equal(cells('Endpoints', ep([{ addresses: addrs('fd00::1'), ports: [{ port: 80 }] }]))[1], '[fd00::1]:80');
  assert.equal(cells('Endpoints', ep([{ notReadyAddresses: addrs('10.0.0.9'), ports: [{ port: 80 }] }]))[1], '');
  const many = ep([
    { addresses: addrs('10.0.0.1', '10.0.0.2'), ports: [{ port: 80 }, { port: 443 }] },
    { addresses: addrs('10.0.1.1') },
  ]);
  assert.equal(cells('Endpoints', many)[1], '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...');
});

test('Namespace, ConfigMap, Secret and ServiceAccount rows', () => {
  const meta = { name: 'x', creationTimestamp: ago(7 * DAY) };
  assert.deepEqual(cells('Namespace', { metadata: meta, status: { phase: 'Active' } }), ['x', 'Active', '7d']);
  assert.deepEqual(cells('Namespace', { metadata: meta }), ['x', '', '7d']);
  assert.deepEqual(cells('ConfigMap', { metadata: meta, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }), ['x', 3, '7d']);
  assert.deepEqual(cells('ConfigMap', { metadata: meta }), ['x', 0, '7d']);
  assert.deepEqual(cells('Secret', { metadata: meta, type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }), [
    'x',
    'kubernetes.io/tls',
    2,
    '7d',
  ]);
  assert.deepEqual(cells('ServiceAccount', { metadata: meta, secrets: [{ name: 't' }] }), ['x', 1, '7d']);
  assert.deepEqual(cells('ServiceAccount', { metadata: meta }), ['x', 0, '7d']);
});
