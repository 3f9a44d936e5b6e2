import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FieldSet, toFieldSet, fieldsV1, updateManagedFields, type FieldSchema } from '../../api/index.js';
import { fieldSchemaFor } from './field-schema-of.js';
import { loadDefinitions } from './load-definitions.js';

const CREATED = '2024-08-14T14:40:10Z';
const LABELED = '2024-08-14T14:41:00Z';
const SCALED = '2024-08-14T14:42:00Z';
const RESET_STATUS = FieldSet.of([{ field: 'status' }]);

function schemaOf(group: string, version: string, kind: string): FieldSchema {
  const schema = fieldSchemaFor(loadDefinitions(), group, version, kind);
  assert.ok(schema, `${group}/${version}/${kind}`);
  return schema;
}

/** The seed ReplicaSet as kube-apiserver stores it after `kubectl create -f examples/replicaset.yaml`. */
function seedReplicaSet(): Record<string, unknown> {
  const url = new URL('../../../../test/fixtures/seed-replicaset-response.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}

/** Observed on kube-apiserver v1.32 for `kubectl create -f` of the seed ReplicaSet. */
const CREATE_FIELDS = {
  'f:spec': {
    'f:replicas': {},
    'f:selector': {},
    'f:template': {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"my-container"}': {
            '.': {},
            'f:image': {},
            'f:imagePullPolicy': {},
            'f:name': {},
            'f:ports': {
              '.': {},
              'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} },
            },
            'f:resources': {},
            'f:terminationMessagePath': {},
            'f:terminationMessagePolicy': {},
          },
        },
        'f:dnsPolicy': {},
        'f:restartPolicy': {},
        'f:schedulerName': {},
        'f:securityContext': {},
        'f:terminationGracePeriodSeconds': {},
      },
    },
  },
};

const createEntry = {
  manager: 'kubectl-create',
  operation: 'Update',
  apiVersion: 'apps/v1',
  time: CREATED,
  fieldsType: 'FieldsV1',
  fieldsV1: CREATE_FIELDS,
};

function create(): Record<string, unknown> {
  const next = seedReplicaSet();
  const managedFields = updateManagedFields({
    next,
    manager: 'kubectl-create',
    apiVersion: 'apps/v1',
    time: CREATED,
    schema: schemaOf('apps', 'v1', 'ReplicaSet'),
    ignored: RESET_STATUS,
  });
  return { ...next, metadata: { ...(next['metadata'] as object), managedFields } };
}

function withChange(obj: Record<string, unknown>, change: (copy: Record<string, Record<string, unknown>>) => void): Record<string, unknown> {
  const copy = structuredClone(obj) as Record<string, Record<string, unknown>>;
  change(copy);
  return copy;
}

describe('fieldSchemaFor', () => {
  it('converts list types, merge keys, atomic maps and leaves as upstream', () => {
    const pod = schemaOf('', 'v1', 'Pod');
    assert.equal(pod.kind, 'object');
    const spec = pod.kind === 'object' ? pod.fields['spec'] : undefined;
    const containers = spec?.kind === 'object' ? spec.fields['containers'] : undefined;
    assert.deepEqual(containers?.kind === 'list' ? [containers.listType, containers.keys] : undefined, ['map', ['name']]);
    const rs = schemaOf('apps', 'v1', 'ReplicaSet');
    const rsSpec = rs.kind === 'object' ? rs.fields['spec'] : undefined;
    const selector = rsSpec?.kind === 'object' ? rsSpec.fields['selector'] : undefined;
    assert.equal(selector?.kind === 'object' && selector.atomic, true);
    assert.equal(fieldSchemaFor(loadDefinitions(), 'apps', 'v1', 'NoSuchKind'), undefined);
  });

  it('gives finalizers (list-type set) value elements', () => {
    const obj = { metadata: { finalizers: ['b', 'a'] } };
    assert.deepEqual(fieldsV1(toFieldSet(obj, schemaOf('', 'v1', 'ConfigMap'))), {
      'f:metadata': { 'f:finalizers': { 'v:"a"': {}, 'v:"b"': {} } },
    });
  });
});

describe('updateManagedFields on kube-apiserver golden ReplicaSets', () => {
  it('(a) kubectl create: one kubectl-create Update entry over the defaulted object', () => {
    const created = create();
    const managedFields = (created['metadata'] as Record<string, unknown>)['managedFields'];
    assert.deepEqual(managedFields, [createEntry]);
    assert.equal(JSON.stringify(managedFields), JSON.stringify([createEntry]), 'key order');
  });

  it('a kubectl-create Deployment: non-pointer strategy has no `.`, pointer rollingUpdate has', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
      },
      status: {},
    };
    const [entry] = updateManagedFields({
      next: deployment,
      manager: 'kubectl-create',
      apiVersion: 'apps/v1',
      time: CREATED,
      schema: schemaOf('apps', 'v1', 'Deployment'),
      ignored: RESET_STATUS,
    });
    assert.deepEqual(entry?.fieldsV1, {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
        },
      },
    });
  });

  it('(b) kubectl label: kubectl-label takes metadata.labels.tier', () => {
    const created = create();
    const next = withChange(created, (o) => {
      o['metadata'] = { ...o['metadata'], labels: { tier: 'frontend' } };
    });
    const managedFields = updateManagedFields({
      old: created,
      next,
      manager: 'kubectl-label',
      apiVersion: 'apps/v1',
      time: LABELED,
      schema: schemaOf('apps', 'v1', 'ReplicaSet'),
      ignored: RESET_STATUS,
    });
    assert.deepEqual(managedFields, [
      createEntry,
      {
        manager: 'kubectl-label',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: LABELED,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:tier': {} } } },
      },
    ]);
  });

  it('(c) a second manager changing spec.replicas takes it from kubectl-create', () => {
    const created = create();
    const next = withChange(created, (o) => {
      o['spec'] = { ...o['spec'], replicas: 3 };
    });
    const managedFields = updateManagedFields({
      old: created,
      next,
      manager: 'kubectl-scale',
      apiVersion: 'apps/v1',
      time: SCALED,
      schema: schemaOf('apps', 'v1', 'ReplicaSet'),
      ignored: RESET_STATUS,
    });
    const { 'f:replicas': _moved, ...spec } = CREATE_FIELDS['f:spec'];
    assert.deepEqual(managedFields, [
      { ...createEntry, fieldsV1: { 'f:spec': spec } },
      {
        manager: 'kubectl-scale',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: SCALED,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      },
    ]);
  });

  it('keeps entries and times when a write changes nothing', () => {
    const created = create();
    const managedFields = updateManagedFields({
      old: created,
      next: structuredClone(created),
      manager: 'kubectl-create',
      apiVersion: 'apps/v1',
      time: SCALED,
      schema: schemaOf('apps', 'v1', 'ReplicaSet'),
    });
    assert.deepEqual(managedFields, [createEntry]);
  });
});
