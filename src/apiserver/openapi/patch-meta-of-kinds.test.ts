import { describe, it } from 'node:test';
import { checkKindPatchCase, type KindPatchCase } from './patch-meta-cases.fixture.js';

type Case = KindPatchCase;
const check = checkKindPatchCase;

// Metadata, status and other kinds' lists, as the previous file; every expectation checked against apimachinery's
// strategicpatch with the Go types' tags.
const CASES: readonly Case[] = [
  {
    name: 'metadata: finalizers as a set, ownerReferences by uid, null deletes a label',
    kind: 'Pod',
    original: {
      metadata: {
        name: 'p',
        labels: { app: 'web', tier: 'front' },
        finalizers: ['a/x', 'b/y'],
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs1', uid: 'u1', controller: true }],
      },
      spec: { containers: [{ name: 'app', image: 'app' }] },
    },
    patch: {
      metadata: {
        labels: { tier: null },
        finalizers: ['c/z'],
        '$deleteFromPrimitiveList/finalizers': ['a/x'],
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'u2' }],
      },
    },
    expected: {
      metadata: {
        name: 'p',
        labels: { app: 'web' },
        finalizers: ['c/z', 'b/y'],
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'u2' },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs1', uid: 'u1', controller: true },
        ],
      },
      spec: { containers: [{ name: 'app', image: 'app' }] },
    },
  },
  {
    name: 'status conditions merge by type',
    kind: 'Pod',
    original: {
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
      },
    },
    patch: { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', reason: null }] } },
    expected: {
      status: {
        phase: 'Running',
        conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True' }],
      },
    },
  },
  {
    name: 'Service ports merge by port',
    kind: 'Service',
    original: {
      spec: {
        type: 'ClusterIP',
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
      },
    },
    patch: {
      spec: { ports: [{ port: 80, targetPort: 9090 }, { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 }] },
    },
    expected: {
      spec: {
        type: 'ClusterIP',
        selector: { app: 'web' },
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: 9090 },
          { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
        ],
      },
    },
  },
  {
    name: 'Node addresses merge by type',
    kind: 'Node',
    original: { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.5' }, { type: 'Hostname', address: 'n1' }] } },
    patch: { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.6' }] } },
    expected: { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.6' }, { type: 'Hostname', address: 'n1' }] } },
  },
  {
    name: 'RoleBinding subjects are replaced',
    kind: 'RoleBinding',
    original: { subjects: [{ kind: 'User', name: 'alice' }] },
    patch: { subjects: [{ kind: 'User', name: 'bob' }] },
    expected: { subjects: [{ kind: 'User', name: 'bob' }] },
  },
  {
    name: 'an unknown list in $setElementOrder',
    kind: 'Pod',
    original: { spec: { containers: [{ name: 'app', image: 'app' }] } },
    patch: { spec: { '$setElementOrder/sidecars': [{ name: 'x' }] } },
    error: ['Unknown', 'unable to find api field in struct PodSpec for the json field "sidecars"'],
  },
  {
    name: 'a container without its name',
    kind: 'Pod',
    original: { spec: { containers: [{ name: 'app', image: 'app' }] } },
    patch: { spec: { containers: [{ image: 'x' }] } },
    error: ['Unknown', 'map: map[image:x] does not contain declared merge key: name'],
  },
];

describe('patchMetaFor: metadata, status and other kinds', () => {
  for (const c of CASES) it(c.name, () => check(c));
});
