import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApplyConflicts } from './apply-conflicts.js';
import { applyManagedFields, type ApplyResult } from './apply-managed-fields.js';
import type { FieldSchema } from './field-schema.js';
import { FieldSet } from './field-set.js';
import type { ManagedFieldsEntry } from './managed-fields-entry.js';
import { validateConfiguration } from './validate-configuration.js';

const SCALAR: FieldSchema = { kind: 'scalar' };
const PORT: FieldSchema = { kind: 'object', atomic: false, fields: { containerPort: SCALAR, protocol: SCALAR }, defaults: { protocol: 'TCP' } };
const CONTAINER: FieldSchema = {
  kind: 'object',
  atomic: false,
  fields: {
    name: SCALAR,
    image: SCALAR,
    args: { kind: 'list', listType: 'atomic', keys: [], elements: SCALAR },
    ports: { kind: 'list', listType: 'map', keys: ['containerPort', 'protocol'], elements: PORT },
  },
};
const SCHEMA: FieldSchema = {
  kind: 'object',
  atomic: false,
  fields: {
    apiVersion: SCALAR,
    kind: SCALAR,
    metadata: {
      kind: 'object',
      atomic: false,
      fields: {
        name: SCALAR,
        namespace: SCALAR,
        labels: { kind: 'map', atomic: false, elements: SCALAR },
        annotations: { kind: 'map', atomic: false, elements: SCALAR },
        finalizers: { kind: 'list', listType: 'set', keys: [], elements: SCALAR },
        managedFields: { kind: 'list', listType: 'atomic', keys: [], elements: { kind: 'untyped' } },
      },
    },
    spec: {
      kind: 'object',
      atomic: false,
      fields: {
        replicas: SCALAR,
        selector: { kind: 'map', atomic: true, elements: SCALAR },
        containers: { kind: 'list', listType: 'map', keys: ['name'], elements: CONTAINER },
      },
    },
    status: { kind: 'object', atomic: false, fields: { ready: SCALAR } },
  },
};

const T0 = '2024-01-01T00:00:00Z';
const T1 = '2024-01-01T00:01:00Z';
const T2 = '2024-01-01T00:02:00Z';

type Obj = Record<string, unknown>;

function apply(live: Obj | undefined, config: Obj, manager: string, time: string, force = false): ApplyResult {
  return applyManagedFields({ live, config, manager, apiVersion: 'apps/v1', time, schema: SCHEMA, force });
}

/** The object as it would be stored: the merge result carrying its managedFields. */
function stored(result: ApplyResult): Obj {
  const metadata = { ...(result.object['metadata'] as Obj), managedFields: result.managedFields };
  return { ...result.object, metadata };
}

function deployment(spec: Obj, metadata: Obj = {}): Obj {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', ...metadata }, spec };
}

function entries(result: ApplyResult): [string | undefined, string | undefined, string | undefined][] {
  return result.managedFields.map((e) => [e.manager, e.operation, e.time]);
}

function fieldsOf(result: ApplyResult, manager: string): ManagedFieldsEntry['fieldsV1'] {
  return result.managedFields.find((e) => e.manager === manager)?.fieldsV1;
}

function conflictOf(fn: () => unknown): ApplyConflicts {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApplyConflicts) return err;
    throw err;
  }
  assert.fail('expected conflicts');
}

describe('applyManagedFields', () => {
  it('creates: the object is the configuration, owned by one Apply entry without the stripped meta fields', () => {
    const config = deployment({ replicas: 2, containers: [{ name: 'a', image: 'x' }] }, { labels: { app: 'web' } });
    const result = apply(undefined, config, 'kubectl', T0);
    assert.deepEqual(result.object, config);
    assert.deepEqual(entries(result), [['kubectl', 'Apply', T0]]);
    assert.deepEqual(fieldsOf(result, 'kubectl'), {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:image': {}, 'f:name': {} } }, 'f:replicas': {} },
    });
  });

  it('merges associative lists by key: shared items in the configuration order, live-only items kept in place', () => {
    const live = stored(apply(undefined, deployment({ containers: [{ name: 'a', image: '1' }, { name: 'b', image: '1' }, { name: 'c', image: '1' }] }), 'one', T0));
    const result = apply(live, deployment({ containers: [{ name: 'c', image: '2' }, { name: 'a', image: '2' }, { name: 'd', image: '2' }] }), 'two', T1, true);
    const containers = (result.object['spec'] as { containers: { name: string; image: string }[] }).containers;
    assert.deepEqual(containers.map((c) => `${c.name}${c.image}`), ['b1', 'c2', 'a2', 'd2']);
  });

  it('merges list-type set items and keeps a port list keyed by two fields apart by protocol default', () => {
    const live = stored(apply(undefined, deployment({ containers: [{ name: 'a', ports: [{ containerPort: 80 }] }] }, { finalizers: ['x'] }), 'one', T0));
    const result = apply(live, deployment({ containers: [{ name: 'a', ports: [{ containerPort: 80, protocol: 'UDP' }] }] }, { finalizers: ['y'] }), 'two', T1);
    assert.deepEqual((result.object['metadata'] as Obj)['finalizers'], ['x', 'y']);
    const ports = (result.object['spec'] as { containers: { ports: unknown[] }[] }).containers[0]?.ports;
    assert.deepEqual(ports, [{ containerPort: 80 }, { containerPort: 80, protocol: 'UDP' }]);
    assert.deepEqual(fieldsOf(result, 'two'), {
      'f:metadata': { 'f:finalizers': { 'v:"y"': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":80,"protocol":"UDP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } } } } },
    });
  });

  it('replaces atomic lists and atomic maps whole, and a change to them conflicts as one field', () => {
    const live = stored(apply(undefined, deployment({ selector: { a: '1', b: '2' }, containers: [{ name: 'a', args: ['x', 'y'] }] }), 'one', T0));
    assert.deepEqual(fieldsOf({ object: {}, managedFields: live['metadata'] ? ((live['metadata'] as Obj)['managedFields'] as ManagedFieldsEntry[]) : [] }, 'one'), {
      'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:args': {}, 'f:name': {} } }, 'f:selector': {} },
    });
    const conflicts = conflictOf(() => apply(live, deployment({ selector: { a: '1' }, containers: [{ name: 'a', args: ['z'] }] }), 'two', T1));
    assert.equal(
      conflicts.message,
      'Apply failed with 2 conflicts: conflicts with "one":\n- .spec.selector\n- .spec.containers[name="a"].args',
    );
    const forced = apply(live, deployment({ selector: { a: '1' }, containers: [{ name: 'a', args: ['z'] }] }), 'two', T1, true);
    assert.deepEqual((forced.object['spec'] as Obj)['selector'], { a: '1' });
    assert.deepEqual((forced.object['spec'] as { containers: Obj[] }).containers[0]?.['args'], ['z']);
    assert.deepEqual(fieldsOf(forced, 'one'), { 'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:name': {} } } } });
  });

  it('merges granular maps key by key', () => {
    const live = stored(apply(undefined, deployment({}, { labels: { a: '1' } }), 'one', T0));
    const result = apply(live, deployment({}, { labels: { b: '2' } }), 'two', T1);
    assert.deepEqual((result.object['metadata'] as Obj)['labels'], { a: '1', b: '2' });
  });

  it('removes fields the same manager applied before and applies no more, leaving other managers fields alone', () => {
    let live = stored(apply(undefined, deployment({ replicas: 1, containers: [{ name: 'a' }, { name: 'b' }] }, { labels: { a: '1', b: '2' } }), 'one', T0));
    live = stored(apply(live, deployment({}, { labels: { c: '3' } }), 'two', T1));
    const result = apply(live, deployment({ containers: [{ name: 'a' }] }, { labels: { a: '1' } }), 'one', T2);
    assert.deepEqual(result.object['spec'], { containers: [{ name: 'a' }] });
    assert.deepEqual((result.object['metadata'] as Obj)['labels'], { a: '1', c: '3' });
    assert.deepEqual(entries(result), [['two', 'Apply', T1], ['one', 'Apply', T2]].sort((x, y) => String(x[2]).localeCompare(String(y[2]))));
    const emptied = apply(stored(result), deployment({ containers: [{ name: 'a' }] }), 'one', T2);
    assert.deepEqual((emptied.object['metadata'] as Obj)['labels'], { c: '3' });
    const alone = apply(stored(apply(undefined, deployment({}, { labels: { a: '1' } }), 'one', T0)), deployment({}), 'one', T1);
    assert.deepEqual(alone.object['metadata'], { name: 'web' }, 'a map left empty goes away');
  });

  it('shares a field two managers apply with the same value; it stays while either applies it', () => {
    let live = stored(apply(undefined, deployment({ replicas: 3 }), 'one', T0));
    const shared = apply(live, deployment({ replicas: 3 }), 'two', T1);
    assert.deepEqual(entries(shared), [['two', 'Apply', undefined], ['one', 'Apply', T0]], 'the object did not change, so no time (and a missing time sorts first)');
    assert.deepEqual(fieldsOf(shared, 'two'), { 'f:spec': { 'f:replicas': {} } });
    live = stored(shared);
    const { spec: _spec, ...withoutSpec } = deployment({});
    const dropped = apply(live, withoutSpec, 'one', T2);
    assert.equal((dropped.object['spec'] as Obj)['replicas'], 3);
    assert.deepEqual(entries(dropped), [['two', 'Apply', undefined]]);
  });

  it('refuses to change a field another manager owns, naming an Update manager with its apiVersion; force takes it', () => {
    const live = deployment({ replicas: 1 });
    (live['metadata'] as Obj)['managedFields'] = [
      { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
    ];
    const conflicts = conflictOf(() => apply(live, deployment({ replicas: 2 }), 'ssa', T1));
    assert.equal(conflicts.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    assert.deepEqual(conflicts.toApiError().status.details, {
      causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }],
    });
    const forced = apply(live, deployment({ replicas: 2 }), 'ssa', T1, true);
    assert.deepEqual(entries(forced), [['ssa', 'Apply', T1]]);
    assert.equal((forced.object['spec'] as Obj)['replicas'], 2);
  });

  it('records the fields of an object without managedFields under before-first-apply', () => {
    const live = deployment({ replicas: 1 }, { labels: { a: '1' } });
    const conflicts = conflictOf(() => apply(live, deployment({ replicas: 2 }), 'ssa', T1));
    assert.equal(conflicts.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
    const agreeing = apply(live, deployment({ replicas: 1 }), 'ssa', T1);
    assert.deepEqual(entries(agreeing), [['ssa', 'Apply', undefined], ['before-first-apply', 'Update', T1]]);
  });

  it('lets kubectl take over fields client-side apply owned with the values it last applied, and syncs the annotation', () => {
    const lastApplied = JSON.stringify(deployment({ replicas: 1 }));
    const live = deployment({ replicas: 1 }, { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } });
    (live['metadata'] as Obj)['managedFields'] = [
      { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} } }, 'f:spec': { 'f:replicas': {} } } },
    ];
    const result = apply(live, deployment({ replicas: 2 }), 'kubectl', T1);
    assert.equal((result.object['spec'] as Obj)['replicas'], 2);
    assert.equal(
      ((result.object['metadata'] as Obj)['annotations'] as Obj)['kubectl.kubernetes.io/last-applied-configuration'],
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2}}\n',
    );
    assert.deepEqual(fieldsOf(result, 'kubectl-client-side-apply'), { 'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} } } });
    const other = conflictOf(() => apply(live, deployment({ replicas: 2 }), 'someone-else', T1));
    assert.equal(other.conflicts.length, 1, 'only kubectl gets the upgrade');
  });

  it('leaves ignored fields (the reset fields of a strategy) unowned and unconflicted', () => {
    const live = stored(apply(undefined, { ...deployment({ replicas: 1 }), status: { ready: 0 } }, 'one', T0));
    const result = applyManagedFields({
      live,
      config: { ...deployment({ replicas: 1 }), status: { ready: 1 } },
      manager: 'two',
      apiVersion: 'apps/v1',
      time: T1,
      schema: SCHEMA,
      force: false,
      ignored: FieldSet.of([{ field: 'status' }]),
    });
    assert.deepEqual(fieldsOf(result, 'two'), { 'f:spec': { 'f:replicas': {} } });
  });
});

describe('validateConfiguration', () => {
  it('names undeclared fields, duplicate items and items without their keys as upstream paths', () => {
    assert.deepEqual(
      validateConfiguration(
        { spec: { foo: 1, containers: [{ name: 'a' }, { name: 'a' }, { image: 'x' }, { name: 'b', ports: [{ containerPort: 80 }, { containerPort: 80, protocol: 'TCP' }] }] } },
        SCHEMA,
      ),
      [
        '.spec.foo: field not declared in schema',
        '.spec.containers: duplicate entries for key [name="a"]',
        `.spec.containers: element 2: associative list with keys has an element that omits key field "name" (and doesn't have default value)`,
        '.spec.containers[name="b"].ports: duplicate entries for key [containerPort=80,protocol="TCP"]',
      ],
    );
  });
});
