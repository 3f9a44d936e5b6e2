import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults } from '../defaults/apply-defaults.js';
import { fieldErrorMessage } from '../field-error.js';
import { validateObject } from './validate-object.js';

type Json = Record<string, unknown>;
type Mutation = (spec: Json, obj: Json) => void;

/** A Service as the registry hands it to validation: defaulted, cluster IP allocated. */
function service(mutate: Mutation = () => {}): Json {
  const obj: Json = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', resourceVersion: '2' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }], clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' },
  };
  mutate(obj['spec'] as Json, obj);
  applyDefaults('', 'v1', 'Service', obj);
  return obj;
}

function messages(kind: string, obj: Json, old?: Json): string[] {
  return validateObject('', 'v1', kind, obj, old ? { old } : {}).map(fieldErrorMessage);
}

const SERVICE_CASES: ReadonlyArray<readonly [string, Mutation, string[]]> = [
  ['a valid ClusterIP Service', () => {}, []],
  ['a headless Service without ports', (spec) => Object.assign(spec, { ports: [], clusterIP: 'None', clusterIPs: ['None'] }), []],
  ['no ports', (spec) => (spec['ports'] = []), ['spec.ports: Required value']],
  ['port 0', (spec) => (spec['ports'] = [{ port: 0, targetPort: 80 }]), ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']],
  [
    'several unnamed ports',
    (spec) => (spec['ports'] = [{ port: 80 }, { port: 443 }]),
    ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value'],
  ],
  [
    'duplicate port names',
    (spec) => (spec['ports'] = [{ name: 'web', port: 80 }, { name: 'web', port: 443 }]),
    ['spec.ports[1].name: Duplicate value: "web"'],
  ],
  [
    'the same port twice',
    (spec) => (spec['ports'] = [{ name: 'a', port: 80 }, { name: 'b', port: 80 }]),
    [
      'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ],
  ],
  [
    'a target port name that is not a port name',
    (spec) => (spec['ports'] = [{ port: 80, targetPort: 'HTTP' }]),
    [
      'spec.ports[0].targetPort: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.ports[0].targetPort: Invalid value: "HTTP": must contain at least one letter (a-z)',
    ],
  ],
  [
    'an unknown type',
    (spec) => (spec['type'] = 'Internal'),
    ['spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
  ],
  [
    'a node port on a ClusterIP Service',
    (spec) => (spec['ports'] = [{ port: 80, nodePort: 30080 }]),
    ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
  ],
  [
    'clusterIPs that disagree with clusterIP',
    (spec) => (spec['clusterIPs'] = ['10.96.0.11']),
    ['spec.clusterIPs: Invalid value: []string{"10.96.0.11"}: first value must match `clusterIP`'],
  ],
  [
    'a loopback external IP',
    (spec) => (spec['externalIPs'] = ['127.0.0.1']),
    ['spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'],
  ],
  [
    'an ExternalName Service with a bad name',
    (spec) => Object.assign(spec, { type: 'ExternalName', externalName: 'Not Valid', clusterIP: undefined, clusterIPs: undefined, ipFamilies: undefined, ipFamilyPolicy: undefined }),
    [
      `spec.externalName: Invalid value: "Not Valid": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ],
  ],
  [
    'a bad Service name',
    (_spec, obj) => ((obj['metadata'] as Json)['name'] = '1web'),
    [
      `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ],
  ],
];

for (const [name, mutate, expected] of SERVICE_CASES) {
  test(`Service create: ${name}`, () => assert.deepEqual(messages('Service', service(mutate)), expected));
}

test('Service update: the cluster IP may not change', () => {
  const moved = service((spec) => Object.assign(spec, { clusterIP: '10.96.0.99', clusterIPs: ['10.96.0.99'] }));
  assert.deepEqual(messages('Service', moved, service()), ['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: may not change once set']);
});

test('LoadBalancer Services need allocateLoadBalancerNodePorts and, with Local traffic, a health check port', () => {
  const lb = service((spec) => Object.assign(spec, { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }));
  assert.deepEqual(messages('Service', lb), ['spec.healthCheckNodePort: Required value']);
  delete (lb['spec'] as Json)['allocateLoadBalancerNodePorts'];
  (lb['spec'] as Json)['healthCheckNodePort'] = 31000;
  assert.deepEqual(messages('Service', lb), ['allocateLoadBalancerNodePorts: Required value']);
});

function endpoints(subsets: unknown): Json {
  const obj: Json = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' }, subsets };
  applyDefaults('', 'v1', 'Endpoints', obj);
  return obj;
}

test('Endpoints validation', () => {
  assert.deepEqual(messages('Endpoints', endpoints([{ addresses: [{ ip: '10.0.0.5' }], ports: [{ port: 80 }] }])), []);
  assert.deepEqual(messages('Endpoints', endpoints([{ ports: [{ port: 80 }] }])), [
    'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
  ]);
  assert.deepEqual(messages('Endpoints', endpoints([{ addresses: [{ ip: 'x' }] }])), [
    'subsets[0].addresses[0].ip: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'subsets[0].addresses[0].ip: Invalid value: "x": must be a valid IP address',
  ]);
});
