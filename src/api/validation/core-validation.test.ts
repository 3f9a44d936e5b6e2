import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults } from '../defaults/apply-defaults.js';
import { fieldErrorMessage } from '../field-error.js';
import { validateObject } from './validate-object.js';

type Json = Record<string, unknown>;

function messages(group: string, kind: string, obj: Json, old?: Json): string[] {
  applyDefaults(group, 'v1', kind, obj);
  if (old) applyDefaults(group, 'v1', kind, old);
  return validateObject(group, 'v1', kind, obj, old ? { old } : {}).map(fieldErrorMessage);
}

const META = { name: 'cfg', namespace: 'default', resourceVersion: '1' };
const KEY_ERROR =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

test('ConfigMap keys, duplicates and size', () => {
  assert.deepEqual(messages('', 'ConfigMap', { metadata: META, data: { 'app.properties': 'x' } }), []);
  assert.deepEqual(messages('', 'ConfigMap', { metadata: META, data: { 'a b': 'x', '..': 'y' } }), [
    `data[a b]: Invalid value: "a b": ${KEY_ERROR}`,
    `data[..]: Invalid value: "..": must not be '..'`,
  ]);
  assert.deepEqual(messages('', 'ConfigMap', { metadata: META, data: { k: 'x' }, binaryData: { k: 'eA==' } }), [
    'data[k]: Invalid value: "k": duplicate of key present in binaryData',
  ]);
  assert.deepEqual(messages('', 'ConfigMap', { metadata: META, data: { big: 'x'.repeat(1024 * 1024 + 1) } }), [
    ': Too long: may not be more than 1048576 bytes',
  ]);
});

test('immutable ConfigMaps keep their data', () => {
  const old = { metadata: META, immutable: true, data: { k: 'v' } };
  assert.deepEqual(messages('', 'ConfigMap', { metadata: META, immutable: true, data: { k: 'w' } }, old), [
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
  assert.deepEqual(messages('', 'ConfigMap', { metadata: META, data: { k: 'v' } }, { ...old }), [
    'immutable: Forbidden: field is immutable when `immutable` is set',
  ]);
});

test('Secrets: typed requirements, size and immutable type', () => {
  assert.deepEqual(messages('', 'Secret', { metadata: META, stringData: { password: 'x' } }), []);
  assert.deepEqual(messages('', 'Secret', { metadata: META, type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } }), [
    'data[tls.key]: Required value',
  ]);
  assert.deepEqual(messages('', 'Secret', { metadata: META, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': 'W10=' } }), [
    'data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}',
  ]);
  assert.deepEqual(messages('', 'Secret', { metadata: META, type: 'kubernetes.io/service-account-token' }), [
    'metadata.annotations[kubernetes.io/service-account.name]: Required value',
  ]);
  assert.deepEqual(messages('', 'Secret', { metadata: META, type: 'kubernetes.io/basic-auth' }, { metadata: META }), [
    'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
    'data[username]: Required value',
    'data[password]: Required value',
  ]);
});

test('Namespaces: DNS label names and finalizers', () => {
  assert.deepEqual(messages('', 'Namespace', { metadata: { name: 'team-a' }, spec: { finalizers: ['kubernetes'] } }), []);
  const errs = messages('', 'Namespace', { metadata: { name: 'team.a' }, spec: { finalizers: ['foo'] } });
  assert.deepEqual(errs, [
    'metadata.name: Invalid value: "team.a": must not contain dots',
    'spec.finalizers: Invalid value: "foo": name is neither a standard finalizer name nor is it fully qualified',
  ]);
  assert.deepEqual(messages('', 'Namespace', { metadata: { name: 'x', namespace: 'y' } }), [
    'metadata.namespace: Forbidden: not allowed on this type',
  ]);
});

test('Nodes: taints, resources, pod CIDRs', () => {
  const node = { metadata: { name: 'n1', resourceVersion: '1' }, spec: { taints: [{ key: 'dedicated', value: 'gpu' }] } };
  assert.deepEqual(messages('', 'Node', node), ['metadata.taints[0].effect: Required value']);
  assert.deepEqual(messages('', 'Node', { metadata: { name: 'n1' }, spec: { podCIDRs: ['10.0.0.0/33'] }, status: { capacity: { pods: '1.5' } } }), [
    'status.capacity.pods: Invalid value: resource.Quantity{i:resource.int64Amount{value:1500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1500m", Format:"DecimalSI"}: must be an integer',
    'status.allocatable.pods: Invalid value: resource.Quantity{i:resource.int64Amount{value:1500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1500m", Format:"DecimalSI"}: must be an integer',
    'spec.podCIDRs[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
  ]);
  const old = { metadata: { name: 'n1', resourceVersion: '1' }, spec: { podCIDRs: ['10.0.0.0/24'], providerID: 'aws://a' } };
  const changed = { metadata: { name: 'n1', resourceVersion: '1' }, spec: { podCIDRs: ['10.0.1.0/24'], providerID: 'aws://b' } };
  assert.deepEqual(messages('', 'Node', changed, old), [
    'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
  ]);
});

test('Leases: positive durations, known strategies', () => {
  const lease = (spec: Json): Json => ({ metadata: { name: 'leader', namespace: 'kube-system' }, spec });
  assert.deepEqual(messages('coordination.k8s.io', 'Lease', lease({ holderIdentity: 'a', leaseDurationSeconds: 15 })), []);
  assert.deepEqual(messages('coordination.k8s.io', 'Lease', lease({ leaseDurationSeconds: 0, leaseTransitions: -1 })), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
  ]);
  assert.deepEqual(messages('coordination.k8s.io', 'Lease', lease({ preferredHolder: 'b' })), [
    'spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined',
  ]);
});

test('ServiceAccounts and unknown kinds get metadata validation', () => {
  assert.deepEqual(messages('', 'ServiceAccount', { metadata: { name: 'Builder', namespace: 'default' } }).length, 1);
  assert.deepEqual(validateObject('example.com', 'v1', 'Widget', { metadata: { namespace: 'default' } }).map(fieldErrorMessage), [
    'metadata.name: Required value: name or generateName is required',
  ]);
});
