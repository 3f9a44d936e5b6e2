import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults } from './apply-defaults.js';
import { prepareNamespaceForCreate } from './core-defaults.js';

type Json = Record<string, unknown>;

function defaulted(group: string, kind: string, obj: Json): Json {
  applyDefaults(group, 'v1', kind, obj);
  return obj;
}

test('a ClusterIP Service is defaulted as upstream returns it (before IP allocation)', () => {
  const service = defaulted('', 'Service', {
    metadata: { name: 's' },
    spec: { selector: { app: 'a' }, ports: [{ port: 80 }] },
  });
  assert.equal(
    JSON.stringify(service['spec']),
    '{"ports":[{"protocol":"TCP","port":80,"targetPort":80}],"selector":{"app":"a"},"type":"ClusterIP","sessionAffinity":"None","internalTrafficPolicy":"Cluster"}',
  );
  assert.deepEqual(service['status'], { loadBalancer: {} });
});

test('LoadBalancer and NodePort Services get the external traffic defaults', () => {
  const lb = defaulted('', 'Service', {
    spec: { type: 'LoadBalancer', ports: [{ port: 443, targetPort: 'https', protocol: 'UDP' }] },
    status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { hostname: 'h' }] } },
  });
  const spec = lb['spec'] as Json;
  assert.equal(spec['externalTrafficPolicy'], 'Cluster');
  assert.equal(spec['allocateLoadBalancerNodePorts'], true);
  assert.deepEqual(spec['ports'], [{ protocol: 'UDP', port: 443, targetPort: 'https' }]);
  assert.deepEqual(lb['status'], { loadBalancer: { ingress: [{ ip: '1.2.3.4', ipMode: 'VIP' }, { hostname: 'h' }] } });
  const nodePort = defaulted('', 'Service', { spec: { type: 'NodePort', ports: [{ port: 1 }] } });
  assert.equal((nodePort['spec'] as Json)['externalTrafficPolicy'], 'Cluster');
  assert.equal((nodePort['spec'] as Json)['allocateLoadBalancerNodePorts'], undefined);
});

test('ExternalName Services get no traffic policies; ClientIP affinity gets its timeout', () => {
  const external = defaulted('', 'Service', { spec: { type: 'ExternalName', externalName: 'example.com' } });
  assert.deepEqual(external['spec'], { type: 'ExternalName', sessionAffinity: 'None', externalName: 'example.com' });
  const sticky = defaulted('', 'Service', { spec: { sessionAffinity: 'ClientIP', ports: [{ port: 80 }] } });
  assert.deepEqual((sticky['spec'] as Json)['sessionAffinityConfig'], { clientIP: { timeoutSeconds: 10800 } });
  const none = defaulted('', 'Service', { spec: { sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } } } });
  assert.equal((none['spec'] as Json)['sessionAffinityConfig'], undefined);
});

test('Secrets default to Opaque and fold stringData into data', () => {
  const secret = defaulted('', 'Secret', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    stringData: { b: 'two', a: 'one' },
    data: { a: 'eA==', c: 'eQ==' },
  });
  assert.equal(
    JSON.stringify(secret),
    '{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s"},"data":{"a":"b25l","b":"dHdv","c":"eQ=="},"type":"Opaque"}',
  );
  const typed = defaulted('', 'Secret', { type: 'kubernetes.io/tls' });
  assert.equal(typed['type'], 'kubernetes.io/tls');
});

test('Namespaces get the name label, an empty spec and the Active phase', () => {
  const namespace = defaulted('', 'Namespace', { metadata: { name: 'team', labels: { a: 'b' } } });
  assert.deepEqual(namespace, {
    metadata: { name: 'team', labels: { a: 'b', 'kubernetes.io/metadata.name': 'team' } },
    spec: {},
    status: { phase: 'Active' },
  });
  prepareNamespaceForCreate(namespace);
  assert.deepEqual(namespace['spec'], { finalizers: ['kubernetes'] });
  const generated = defaulted('', 'Namespace', { metadata: { generateName: 'x-' } });
  assert.equal((generated['metadata'] as Json)['labels'], undefined);
});

test('Node allocatable defaults to capacity; the zero-valued status parts are printed', () => {
  const node = defaulted('', 'Node', { metadata: { name: 'n' }, status: { capacity: { cpu: '4', memory: '8Gi' } } });
  const status = node['status'] as Json;
  assert.deepEqual(status['allocatable'], { cpu: '4', memory: '8Gi' });
  assert.deepEqual(status['daemonEndpoints'], { kubeletEndpoint: { Port: 0 } });
  assert.equal((status['nodeInfo'] as Json)['kubeletVersion'], '');
  assert.deepEqual(node['spec'], {});
});

test('Endpoints ports default to TCP', () => {
  const endpoints = defaulted('', 'Endpoints', { subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] });
  assert.deepEqual(endpoints['subsets'], [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80, protocol: 'TCP' }] }]);
});

test('RBAC bindings default roleRef and subject API groups', () => {
  const binding = defaulted('rbac.authorization.k8s.io', 'RoleBinding', {
    roleRef: { kind: 'Role', name: 'r' },
    subjects: [
      { kind: 'User', name: 'alice' },
      { kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'sa', namespace: 'default' },
    ],
  });
  assert.deepEqual(binding['roleRef'], { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' });
  assert.equal(
    JSON.stringify(binding['subjects']),
    '[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"alice"},{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"devs"},{"kind":"ServiceAccount","name":"sa","namespace":"default"}]',
  );
  const role = defaulted('rbac.authorization.k8s.io', 'Role', { metadata: { name: 'r' } });
  assert.equal(role['rules'], null);
});

test('Events print their zero-valued fields', () => {
  const event = defaulted('', 'Event', { metadata: { name: 'e' }, reason: 'R', message: 'm' });
  assert.equal(
    JSON.stringify(event),
    '{"metadata":{"name":"e"},"involvedObject":{},"reason":"R","message":"m","source":{},"firstTimestamp":null,"lastTimestamp":null,"eventTime":null,"reportingComponent":"","reportingInstance":""}',
  );
});
