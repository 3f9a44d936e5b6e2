// Checks what scripts/gen-openapi.mjs derived from kubernetes-types (dist/openapi/definitions.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDefinitions } from './load-definitions.js';
import { referencedName, type OpenApiSchema } from './openapi-schema.js';

const defs = loadDefinitions();
const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

function definition(name: string): OpenApiSchema {
  const schema = defs[name];
  assert.ok(schema, `no definition ${name}`);
  return schema;
}

function property(name: string, prop: string): OpenApiSchema {
  const schema = definition(name).properties?.[prop];
  assert.ok(schema, `${name} has no property ${prop}`);
  return schema;
}

test('loads once and shares the result', () => {
  assert.equal(loadDefinitions(), defs);
});

test('Pod spec.containers is a list of Container keyed by name', () => {
  assert.equal(referencedName(property(`${CORE}.Pod`, 'spec')), `${CORE}.PodSpec`);
  const containers = property(`${CORE}.PodSpec`, 'containers');
  assert.equal(containers.type, 'array');
  assert.deepEqual(containers.items, { allOf: [{ $ref: `#/components/schemas/${CORE}.Container` }], default: {} });
  assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
  assert.equal(containers['x-kubernetes-list-type'], 'map');
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  assert.match(containers.description ?? '', /List of containers belonging to the pod/);
});

test('descriptions come from the JSDoc, on types and on fields', () => {
  assert.match(definition(`${CORE}.Container`).description ?? '', /^A single application container/);
  assert.match(property(`${CORE}.Container`, 'image').description ?? '', /Container image name/);
  assert.match(definition('io.k8s.apimachinery.pkg.runtime.RawExtension').description ?? '', /\n\n\/\/ Internal package:/);
});

test('required lists the fields without a question mark', () => {
  assert.deepEqual(definition(`${CORE}.Container`).required, ['name']);
  assert.deepEqual(definition('io.k8s.api.apps.v1.ReplicaSetSpec').required, ['selector']);
  assert.deepEqual(definition(`${CORE}.PodSpec`).required, ['containers']);
  assert.equal(definition(`${CORE}.Pod`).required, undefined);
  assert.equal(property(`${CORE}.Container`, 'name').default, '');
  assert.equal(property(`${CORE}.Container`, 'image').default, undefined);
});

test('top-level kinds carry their group-version-kind', () => {
  assert.deepEqual(definition(`${CORE}.Pod`)['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.deepEqual(definition('io.k8s.api.apps.v1.ReplicaSet')['x-kubernetes-group-version-kind'], [
    { group: 'apps', kind: 'ReplicaSet', version: 'v1' },
  ]);
  assert.deepEqual(definition('io.k8s.api.rbac.v1.RoleList')['x-kubernetes-group-version-kind'], [
    { group: 'rbac.authorization.k8s.io', kind: 'RoleList', version: 'v1' },
  ]);
  assert.equal(definition(`${CORE}.PodSpec`)['x-kubernetes-group-version-kind'], undefined);
});

test('IntOrString, Quantity and Time have their upstream wire shapes', () => {
  const intOrString = definition('io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  assert.equal(intOrString['x-kubernetes-int-or-string'], true);
  assert.equal(intOrString.format, 'int-or-string');
  assert.deepEqual(intOrString.oneOf, [{ type: 'integer' }, { type: 'string' }]);
  assert.equal(referencedName(property('io.k8s.api.apps.v1.RollingUpdateDeployment', 'maxSurge')), 'io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  assert.equal(referencedName(property(`${CORE}.ServicePort`, 'targetPort')), 'io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  assert.deepEqual(definition('io.k8s.apimachinery.pkg.api.resource.Quantity').oneOf, [{ type: 'string' }, { type: 'number' }]);
  assert.equal(definition(`${META}.Time`).format, 'date-time');
  assert.equal(definition(`${META}.Time`).type, 'string');
  assert.equal(definition('io.k8s.apimachinery.pkg.runtime.RawExtension').type, 'object');
  const limits = property(`${CORE}.ResourceRequirements`, 'limits');
  assert.equal(referencedName(limits.additionalProperties as OpenApiSchema), 'io.k8s.apimachinery.pkg.api.resource.Quantity');
});

test('integers are int32 unless Go has them int64', () => {
  const replicas = property('io.k8s.api.apps.v1.ReplicaSetSpec', 'replicas');
  assert.deepEqual([replicas.type, replicas.format], ['integer', 'int32']);
  assert.equal(property(`${META}.ObjectMeta`, 'generation').format, 'int64');
  assert.equal(property(`${CORE}.PodSpec`, 'terminationGracePeriodSeconds').format, 'int64');
  assert.equal(property(`${CORE}.PodSecurityContext`, 'supplementalGroups').items?.format, 'int64');
  assert.equal(property('io.k8s.api.certificates.v1.CertificateSigningRequestSpec', 'expirationSeconds').format, 'int32');
});

test('references with a description or default are wrapped in allOf', () => {
  assert.deepEqual(property(`${CORE}.Pod`, 'metadata').allOf, [{ $ref: `#/components/schemas/${META}.ObjectMeta` }]);
  assert.deepEqual(property(`${CORE}.Pod`, 'metadata').default, {});
  assert.equal(property(`${CORE}.Pod`, 'metadata').$ref, undefined);
});

test('merge semantics follow the table of list and map extensions', () => {
  const ports = property(`${CORE}.Container`, 'ports');
  assert.deepEqual(ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
  assert.equal(ports['x-kubernetes-patch-merge-key'], 'containerPort');
  assert.equal(property(`${CORE}.PodSpec`, 'volumes')['x-kubernetes-patch-strategy'], 'merge,retainKeys');
  assert.equal(property(`${CORE}.PodSpec`, 'tolerations')['x-kubernetes-list-type'], 'atomic');
  assert.deepEqual(property(`${CORE}.ServiceSpec`, 'ports')['x-kubernetes-list-map-keys'], ['port', 'protocol']);
  assert.equal(property(`${META}.ObjectMeta`, 'ownerReferences')['x-kubernetes-patch-merge-key'], 'uid');
  assert.equal(property(`${META}.ObjectMeta`, 'finalizers')['x-kubernetes-list-type'], 'set');
  assert.equal(property('io.k8s.api.rbac.v1.RoleBinding', 'subjects')['x-kubernetes-list-type'], 'atomic');
  assert.equal(property('io.k8s.api.apps.v1.DeploymentStatus', 'conditions')['x-kubernetes-patch-merge-key'], 'type');
  assert.equal(property(`${CORE}.NodeStatus`, 'addresses')['x-kubernetes-list-type'], 'map');
  assert.equal(definition(`${META}.LabelSelector`)['x-kubernetes-map-type'], 'atomic');
});

test('every reference resolves', () => {
  const dangling: string[] = [];
  JSON.stringify(defs, (key, value: unknown) => {
    if (key === '$ref' && typeof value === 'string' && defs[value.replace('#/components/schemas/', '')] === undefined) dangling.push(value);
    return value;
  });
  assert.deepEqual(dangling, []);
});
