import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from './field-error.js';
import { nameIsDNSSubdomain, nameValidatorFor } from './name-validation.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';

const messages = (errs: FieldError[]): string[] => errs.map(fieldErrorMessage);
const namespaced = { requiresNamespace: true, nameValidator: nameIsDNSSubdomain };
const QNAME_TAIL =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('validateObjectMeta', () => {
  it('accepts good metadata', () => {
    const errs = validateObjectMeta(
      {
        name: 'web-1',
        namespace: 'default',
        labels: { app: 'web', 'app.kubernetes.io/name': '' },
        annotations: { 'Example.com/Note': 'anything goes here' },
        finalizers: ['kubernetes', 'example.com/cleanup'],
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u1', controller: true }],
      },
      namespaced,
    );
    assert.deepEqual(errs, []);
  });

  it('needs a name or generateName', () => {
    assert.deepEqual(messages(validateObjectMeta({ namespace: 'default' }, namespaced)), [
      'metadata.name: Required value: name or generateName is required',
    ]);
  });

  it('checks name, generateName and namespace', () => {
    const errs = validateObjectMeta({ name: 'Web', generateName: 'Web-', namespace: 'Default' }, namespaced);
    assert.deepEqual(
      errs.map((e) => [e.type, e.field]),
      [
        ['FieldValueInvalid', 'metadata.generateName'],
        ['FieldValueInvalid', 'metadata.name'],
        ['FieldValueInvalid', 'metadata.namespace'],
      ],
    );
    assert.match(fieldErrorMessage(errs[1] as FieldError), /^metadata\.name: Invalid value: "Web": a lowercase RFC 1123 subdomain/);
    assert.deepEqual(messages(validateObjectMeta({ name: 'x' }, namespaced)), ['metadata.namespace: Required value']);
    assert.deepEqual(
      messages(validateObjectMeta({ name: 'x', namespace: 'default' }, { requiresNamespace: false, nameValidator: nameIsDNSSubdomain })),
      ['metadata.namespace: Forbidden: not allowed on this type'],
    );
  });

  it('uses the kind name rule', () => {
    const errs = validateObjectMeta({ name: 'a.b' }, { requiresNamespace: false, nameValidator: nameValidatorFor({ group: '', kind: 'Namespace' }) });
    assert.deepEqual(messages(errs), ['metadata.name: Invalid value: "a.b": must not contain dots']);
  });

  it('checks labels', () => {
    const errs = validateObjectMeta({ name: 'x', namespace: 'd', labels: { '-bad': 'ok', good: 'bad value' } }, namespaced);
    assert.deepEqual(messages(errs), [
      `metadata.labels: Invalid value: "-bad": name part ${QNAME_TAIL}`,
      `metadata.labels: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ]);
  });

  it('limits annotations to 256 KiB in total', () => {
    const ok = validateObjectMeta({ name: 'x', namespace: 'd', annotations: { a: 'x'.repeat(262143) } }, namespaced);
    assert.deepEqual(ok, []);
    const big = validateObjectMeta({ name: 'x', namespace: 'd', annotations: { a: 'x'.repeat(262144) } }, namespaced);
    assert.deepEqual(messages(big), ['metadata.annotations: Too long: may not be more than 262144 bytes']);
    const badKey = validateObjectMeta({ name: 'x', namespace: 'd', annotations: { 'a b': '' } }, namespaced);
    assert.deepEqual(messages(badKey), [`metadata.annotations: Invalid value: "a b": name part ${QNAME_TAIL}`]);
  });

  it('checks finalizers', () => {
    const errs = validateObjectMeta({ name: 'x', namespace: 'd', finalizers: ['orphan', 'foregroundDeletion', 'custom', 'a b/c'] }, namespaced);
    assert.deepEqual(
      errs.map((e) => e.field),
      ['metadata.finalizers', 'metadata.finalizers', 'metadata.finalizers[2]'],
    );
    assert.equal(
      fieldErrorMessage(errs[1] as FieldError),
      'metadata.finalizers: Invalid value: ["orphan","foregroundDeletion","custom","a b/c"]: finalizer orphan and foregroundDeletion cannot be both set',
    );
    assert.equal(
      fieldErrorMessage(errs[2] as FieldError),
      'metadata.finalizers[2]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    );
    const custom = validateObjectMeta({ name: 'x', namespace: 'd', finalizers: ['custom'] }, { ...namespaced, kubeFinalizers: false });
    assert.deepEqual(custom, []);
  });

  it('checks owner references', () => {
    const errs = validateObjectMeta(
      {
        name: 'x',
        namespace: 'd',
        ownerReferences: [
          { apiVersion: '', kind: '', name: '', uid: '' },
          { apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: 'u1', controller: true },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: 'u2', controller: true },
        ],
      },
      namespaced,
    );
    assert.deepEqual(messages(errs).slice(0, 4), [
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
    ]);
    assert.match(messages(errs)[4] ?? '', /^metadata\.ownerReferences: Invalid value: .*: \/v1, Kind=Event is disallowed from being an owner$/);
    assert.match(
      messages(errs)[5] ?? '',
      /Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/a and ReplicaSet\/b$/,
    );
  });

  it('checks generation and managed fields', () => {
    const errs = validateObjectMeta(
      { name: 'x', namespace: 'd', generation: -1, managedFields: [{ manager: 'kubectl\u0007', operation: 'Merge', fieldsType: 'FieldsV2' }] },
      namespaced,
    );
    assert.deepEqual(messages(errs), [
      'metadata.generation: Invalid value: -1: must be greater than or equal to 0',
      'metadata.managedFields[0].operation: Invalid value: "Merge": must be `Apply` or `Update`',
      'metadata.managedFields[0].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`',
      'metadata.managedFields[0].manager: Invalid value: "kubectl\\a": invalid character U+0007 (at position 7)',
    ]);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old = { name: 'x', namespace: 'd', uid: 'u1', resourceVersion: '5', generation: 2, creationTimestamp: '2024-05-01T10:00:00Z' };

  it('accepts an unchanged identity', () => {
    assert.deepEqual(validateObjectMetaUpdate({ ...old, labels: { a: 'b' } }, old), []);
  });

  it('requires a resourceVersion and keeps identity immutable', () => {
    const errs = validateObjectMetaUpdate(
      { name: 'y', namespace: 'd', uid: 'u2', generation: 1, creationTimestamp: '2024-05-02T10:00:00Z' },
      old,
    );
    assert.deepEqual(messages(errs), [
      'metadata.resourceVersion: Invalid value: "": must be specified for an update',
      'metadata.generation: Invalid value: 1: must not be decremented',
      'metadata.name: Invalid value: "y": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
      'metadata.creationTimestamp: Invalid value: 2024-05-02 10:00:00 +0000 UTC: field is immutable',
    ]);
  });

  it('forbids new finalizers on an object being deleted', () => {
    const deleting = { ...old, deletionTimestamp: '2024-05-03T00:00:00Z', finalizers: ['a.io/x'] };
    const errs = validateObjectMetaUpdate({ ...deleting, finalizers: ['a.io/x', 'b.io/y', 'a.io/z'] }, deleting);
    assert.deepEqual(messages(errs), [
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"a.io/z", "b.io/y"}',
    ]);
  });
});
