import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults } from '../defaults/apply-defaults.js';
import { fieldErrorMessage } from '../field-error.js';
import { validateObject } from './validate-object.js';

type Json = Record<string, unknown>;
type Mutation = (pod: Json, spec: Json, container: Json) => void;

function basePod(): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', resourceVersion: '1' },
    spec: {
      volumes: [{ name: 'data', emptyDir: {} }],
      containers: [{ name: 'app', image: 'nginx:1.25', ports: [{ containerPort: 80 }], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
    },
  };
}

function pod(mutate: Mutation = () => {}): Json {
  const obj = basePod();
  const spec = obj['spec'] as Json;
  mutate(obj, spec, (spec['containers'] as Json[])[0] as Json);
  applyDefaults('', 'v1', 'Pod', obj);
  return obj;
}

function messages(obj: Json, old?: Json): string[] {
  return validateObject('', 'v1', 'Pod', obj, old ? { old } : {}).map(fieldErrorMessage);
}

const DNS_LABEL_ERROR =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const CREATE_CASES: ReadonlyArray<readonly [string, Mutation, string[]]> = [
  ['a valid pod', () => {}, []],
  ['no containers', (_p, spec) => (spec['containers'] = []), ['spec.containers: Required value']],
  ['a bad container name', (_p, _s, c) => (c['name'] = 'My_App'), [`spec.containers[0].name: Invalid value: "My_App": ${DNS_LABEL_ERROR}`]],
  [
    'duplicate container names',
    (_p, spec) => (spec['containers'] as Json[]).push({ name: 'app', image: 'busybox' }),
    ['spec.containers[1].name: Duplicate value: "app"'],
  ],
  ['no image', (_p, _s, c) => delete c['image'], ['spec.containers[0].image: Required value']],
  [
    'an image with surrounding spaces',
    (_p, _s, c) => (c['image'] = ' nginx'),
    ['spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace'],
  ],
  [
    'a port out of range',
    (_p, _s, c) => (c['ports'] = [{ containerPort: 70000 }]),
    ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
  ],
  [
    'an unknown protocol',
    (_p, _s, c) => (c['ports'] = [{ containerPort: 80, protocol: 'HTTP' }]),
    ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
  ],
  [
    'duplicate port names',
    (_p, _s, c) => (c['ports'] = [{ name: 'http', containerPort: 80 }, { name: 'http', containerPort: 81 }]),
    ['spec.containers[0].ports[1].name: Duplicate value: "http"'],
  ],
  [
    'an unknown restart policy',
    (_p, spec) => (spec['restartPolicy'] = 'Sometimes'),
    ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
  ],
  [
    'an unknown DNS policy',
    (_p, spec) => (spec['dnsPolicy'] = 'Google'),
    ['spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
  ],
  [
    'an unknown pull policy',
    (_p, _s, c) => (c['imagePullPolicy'] = 'Sometimes'),
    ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'],
  ],
  [
    'requests above limits',
    (_p, _s, c) => (c['resources'] = { limits: { cpu: '1' }, requests: { cpu: '2' } }),
    ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
  ],
  [
    'a negative quantity and an unknown resource (requests copied from limits on Pods)',
    (_p, _s, c) => (c['resources'] = { limits: { memory: '-1', gpus: '1' } }),
    [
      'spec.containers[0].resources.limits[gpus]: Invalid value: "gpus": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.limits[gpus]: Invalid value: "gpus": must be a standard resource for containers',
      'spec.containers[0].resources.limits[memory]: Invalid value: "-1": must be greater than or equal to 0',
      'spec.containers[0].resources.requests[gpus]: Invalid value: "gpus": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.requests[gpus]: Invalid value: "gpus": must be a standard resource for containers',
      'spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0',
    ],
  ],
  [
    'a mount of an unknown volume',
    (_p, _s, c) => (c['volumeMounts'] = [{ name: 'cache', mountPath: '/cache' }]),
    ['spec.containers[0].volumeMounts[0].name: Not found: "cache"'],
  ],
  [
    'duplicate volume names',
    (_p, spec) => (spec['volumes'] as Json[]).push({ name: 'data', emptyDir: {} }),
    ['spec.volumes[1].name: Duplicate value: "data"'],
  ],
  [
    'a volume with two sources',
    (_p, spec) => (spec['volumes'] = [{ name: 'data', emptyDir: {}, hostPath: { path: '/x' } }]),
    [
      'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
      'spec.containers[0].volumeMounts[0].name: Not found: "data"',
    ],
  ],
  [
    'a secret volume without a name',
    (_p, spec) => (spec['volumes'] = [{ name: 'data', secret: {} }]),
    ['spec.volumes[0].secret.secretName: Required value', 'spec.containers[0].volumeMounts[0].name: Not found: "data"'],
  ],
  [
    'an env var name with "="',
    (_p, _s, c) => (c['env'] = [{ name: 'A=B', value: 'x' }]),
    [`spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`],
  ],
  [
    'an env var with both value and valueFrom',
    (_p, _s, c) => (c['env'] = [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]),
    ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty'],
  ],
  [
    'an unsupported downward API field',
    (_p, _s, c) => (c['env'] = [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.restartPolicy' } } }]),
    [
      'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.restartPolicy": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
    ],
  ],
  [
    'a liveness probe with successThreshold 2',
    (_p, _s, c) => (c['livenessProbe'] = { tcpSocket: { port: 80 }, successThreshold: 2 }),
    ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
  ],
  [
    'a probe without handler',
    (_p, _s, c) => (c['readinessProbe'] = { periodSeconds: 3 }),
    ['spec.containers[0].readinessProbe: Required value: must specify a handler type'],
  ],
  [
    'a restart policy on a regular container',
    (_p, _s, c) => (c['restartPolicy'] = 'Always'),
    ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
  ],
  [
    'a probe on a plain init container',
    (_p, spec) => (spec['initContainers'] = [{ name: 'init', image: 'busybox', readinessProbe: { exec: { command: ['true'] } } }]),
    ['spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always'],
  ],
  [
    'conflicting host ports',
    (_p, _s, c) => (c['ports'] = [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81, hostPort: 8080 }]),
    ['spec.containers[0].ports[1].hostPort: Duplicate value: "TCP//8080"'],
  ],
  [
    'a toleration without key and with Equal',
    (_p, spec) => (spec['tolerations'] = [{ operator: 'Equal', value: 'x' }]),
    ['spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"'],
  ],
  [
    'ephemeral containers on create',
    (_p, spec) => (spec['ephemeralContainers'] = [{ name: 'debug', image: 'busybox' }]),
    ['spec.ephemeralContainers: Forbidden: cannot be set on create'],
  ],
  [
    'a bad pod name and a missing namespace',
    (p) => (p['metadata'] = { name: 'Web' }),
    [
      `metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      'metadata.namespace: Required value',
    ],
  ],
];

for (const [name, mutate, expected] of CREATE_CASES) {
  test(`Pod create: ${name}`, () => assert.deepEqual(messages(pod(mutate)), expected));
}

const UPDATE_PREFIX =
  'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n';

test('Pod update: images, deadlines and added tolerations may change', () => {
  const updated = pod((_p, spec, c) => {
    c['image'] = 'nginx:1.26';
    spec['activeDeadlineSeconds'] = 30;
    spec['tolerations'] = [{ key: 'k', operator: 'Exists' }];
  });
  assert.deepEqual(messages(updated, pod()), []);
});

test('Pod update: other spec fields may not change', () => {
  const errs = messages(pod((_p, spec) => (spec['restartPolicy'] = 'Never')), pod());
  assert.equal(errs.length, 1);
  assert.ok(errs[0]?.startsWith(UPDATE_PREFIX), errs[0]);
  assert.match(errs[0] ?? '', /- \tRestartPolicy: "Always",\n\+ \tRestartPolicy: "Never",/);
});

test('Pod update: containers may not be added; deadlines may only shrink', () => {
  const added = pod((_p, spec) => (spec['containers'] as Json[]).push({ name: 'side', image: 'busybox' }));
  assert.deepEqual(messages(added, pod()), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
  const old = pod((_p, spec) => (spec['activeDeadlineSeconds'] = 10));
  const longer = pod((_p, spec) => (spec['activeDeadlineSeconds'] = 20));
  assert.deepEqual(messages(longer, old), ['spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value']);
});

test('Pod update: metadata rules apply', () => {
  const renamed = pod((p) => ((p['metadata'] as Json)['name'] = 'other'));
  assert.deepEqual(messages(renamed, pod()), ['metadata.name: Invalid value: "other": field is immutable']);
});

test('a write through pods/status checks the metadata, not the spec again', () => {
  const old = pod();
  const status = (next: Json) => validateObject('', 'v1', 'Pod', next, { old, subresource: 'status' }).map(fieldErrorMessage);
  assert.deepEqual(status({ ...pod(), status: { phase: 'Running' } }), []);
  const badLabel = pod((p) => ((p['metadata'] as Json)['labels'] = { 'bad key!': 'x' }));
  assert.equal(status(badLabel).length, 1);
  assert.match(status(badLabel)[0]!, /^metadata\.labels: Invalid value: "bad key!"/);
  const renamed = pod((p) => ((p['metadata'] as Json)['name'] = 'other'));
  assert.deepEqual(status(renamed), ['metadata.name: Invalid value: "other": field is immutable']);
  // A spec the status strategy would have put back is not what a status write is judged on.
  const specChanged = pod((_p, spec) => (spec['restartPolicy'] = 'Never'));
  assert.deepEqual(status(specChanged), []);
  assert.notDeepEqual(messages(specChanged, old), []);
});
