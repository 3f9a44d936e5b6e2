import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  aggregateFieldErrors,
  duplicate,
  fieldErrorBody,
  fieldErrorMessage,
  forbidden,
  GoStringer,
  internalError,
  invalid,
  notFound,
  notSupported,
  OMIT_VALUE,
  required,
  tooLong,
  tooMany,
  typeInvalid,
} from './field-error.js';
import { newPath } from './field-path.js';

const path = newPath('spec').child('containers').index(0).child('image');

describe('field errors', () => {
  it('render each type as upstream', () => {
    assert.equal(fieldErrorMessage(required(path)), 'spec.containers[0].image: Required value');
    assert.equal(fieldErrorMessage(required('metadata.name', 'name or generateName is required')), 'metadata.name: Required value: name or generateName is required');
    assert.equal(fieldErrorMessage(invalid('metadata.name', 'X', 'bad')), 'metadata.name: Invalid value: "X": bad');
    assert.equal(fieldErrorMessage(invalid('spec.replicas', -1, 'must be greater than or equal to 0')), 'spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    assert.equal(fieldErrorMessage(invalid('f', true)), 'f: Invalid value: true');
    assert.equal(fieldErrorMessage(invalid('f', null, 'd')), 'f: Invalid value: "null": d');
    assert.equal(fieldErrorMessage(invalid('f', OMIT_VALUE, 'd')), 'f: Invalid value: d');
    assert.equal(fieldErrorMessage(invalid('f', new GoStringer('2024-01-01 00:00:00 +0000 UTC'), 'field is immutable')), 'f: Invalid value: 2024-01-01 00:00:00 +0000 UTC: field is immutable');
    assert.equal(
      fieldErrorMessage(notSupported('spec.restartPolicy', 'Sometimes', ['Always', 'OnFailure', 'Never'])),
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    );
    assert.equal(fieldErrorMessage(notSupported('f', 'v', [])), 'f: Unsupported value: "v"');
    assert.equal(fieldErrorMessage(duplicate('spec.ports[1]', 'http')), 'spec.ports[1]: Duplicate value: "http"');
    assert.equal(fieldErrorMessage(forbidden('metadata.namespace', 'not allowed on this type')), 'metadata.namespace: Forbidden: not allowed on this type');
    assert.equal(fieldErrorMessage(tooLong('metadata.annotations', 262144)), 'metadata.annotations: Too long: may not be more than 262144 bytes');
    assert.equal(fieldErrorMessage(tooLong('f', -1)), 'f: Too long: value is too long');
    assert.equal(fieldErrorMessage(tooMany('spec.items', 5, 3)), 'spec.items: Too many: 5: must have at most 3 items');
    assert.equal(fieldErrorMessage(tooMany('spec.items', -1, 3)), 'spec.items: Too many: must have at most 3 items');
    assert.equal(fieldErrorMessage(notFound('f', 'x')), 'f: Not found: "x"');
    assert.equal(fieldErrorMessage(typeInvalid('spec.x', 'a', 'must be integer')), 'spec.x: Invalid value: "a": must be integer');
    assert.equal(fieldErrorMessage(internalError('f', new Error('boom'))), 'f: Internal error: boom');
  });

  it('keeps type, field and body apart for status causes', () => {
    const err = invalid('metadata.name', 'X', 'bad');
    assert.equal(err.type, 'FieldValueInvalid');
    assert.equal(err.field, 'metadata.name');
    assert.equal(fieldErrorBody(err), 'Invalid value: "X": bad');
  });

  it('aggregates like utilerrors: one alone, several bracketed, duplicates once', () => {
    const a = required('a');
    const b = invalid('b', 'x', 'y');
    assert.equal(aggregateFieldErrors([a]), 'a: Required value');
    assert.equal(aggregateFieldErrors([a, b, a]), '[a: Required value, b: Invalid value: "x": y]');
    assert.equal(aggregateFieldErrors([a, a]), 'a: Required value');
  });
});
