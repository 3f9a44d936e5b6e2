import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiError,
  hasStatusCause,
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isForbidden,
  isGone,
  isInternalError,
  isInvalid,
  isMethodNotSupported,
  isNotFound,
  isResourceExpired,
  isServerTimeout,
  isTimeout,
  isTooLargeResourceVersion,
  isTooManyRequests,
  OPTIMISTIC_LOCK_MESSAGE,
  suggestsClientDelay,
} from './api-error.js';
import { invalid, required } from './field-error.js';

const pods = { group: '', resource: 'pods' };
const deployments = { group: 'apps', resource: 'deployments' };

describe('ApiError', () => {
  it('notFound carries the Status kube-apiserver sends', () => {
    const err = ApiError.notFound(pods, 'x');
    assert.equal(err.message, 'pods "x" not found');
    assert.equal(err.code, 404);
    assert.deepEqual(err.status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "x" not found',
      reason: 'NotFound',
      details: { name: 'x', kind: 'pods' },
      code: 404,
    });
    assert.equal(
      JSON.stringify(err.status),
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \\"x\\" not found","reason":"NotFound","details":{"name":"x","kind":"pods"},"code":404}',
    );
    assert.ok(err instanceof Error);
    assert.ok(isNotFound(err));
  });

  it('qualifies resources of named groups', () => {
    const err = ApiError.alreadyExists(deployments, 'web');
    assert.equal(err.message, 'deployments.apps "web" already exists');
    assert.deepEqual(err.status.details, { name: 'web', group: 'apps', kind: 'deployments' });
    assert.equal(err.code, 409);
    assert.ok(isAlreadyExists(err));
    assert.ok(!isConflict(err));
  });

  it('conflict', () => {
    const err = ApiError.conflict(pods, 'x', OPTIMISTIC_LOCK_MESSAGE);
    assert.equal(
      err.message,
      'Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again',
    );
    assert.equal(err.reason, 'Conflict');
    assert.ok(isConflict(err));
  });

  it('invalid aggregates field errors and lists causes', () => {
    const one = ApiError.invalid({ group: '', kind: 'Pod' }, 'x', [required('spec.containers[0].image')]);
    assert.equal(one.message, 'Pod "x" is invalid: spec.containers[0].image: Required value');
    assert.equal(one.code, 422);
    assert.deepEqual(one.status.details, {
      name: 'x',
      kind: 'Pod',
      causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' }],
    });
    const two = ApiError.invalid({ group: 'apps', kind: 'Deployment' }, 'web', [
      required('spec.selector'),
      invalid('metadata.name', 'Web', 'bad'),
    ]);
    assert.equal(two.message, 'Deployment.apps "web" is invalid: [spec.selector: Required value, metadata.name: Invalid value: "Web": bad]');
    assert.equal(ApiError.invalid({ group: '', kind: 'Pod' }, 'x', []).message, 'Pod "x" is invalid');
    assert.ok(isInvalid(two));
  });

  it('forbidden in its three forms', () => {
    assert.equal(ApiError.forbidden(pods, 'x', 'no way').message, 'pods "x" is forbidden: no way');
    assert.equal(ApiError.forbidden(pods, '', new Error('no way')).message, 'pods is forbidden: no way');
    assert.equal(ApiError.forbidden({ group: '', resource: '' }, '', 'no way').message, 'forbidden: no way');
    assert.ok(isForbidden(ApiError.forbidden(pods, 'x', 'y')));
  });

  it('simple statuses', () => {
    const cases: [ApiError, number, string, string][] = [
      [ApiError.badRequest('bad'), 400, 'BadRequest', 'bad'],
      [ApiError.unauthorized(), 401, 'Unauthorized', 'not authorized'],
      [ApiError.gone('too old'), 410, 'Gone', 'too old'],
      [ApiError.resourceExpired('too old resource version: 1 (5)'), 410, 'Expired', 'too old resource version: 1 (5)'],
      [ApiError.methodNotSupported(deployments, 'deletecollection'), 405, 'MethodNotAllowed', 'deletecollection is not supported on resources of kind "deployments.apps"'],
      [ApiError.requestEntityTooLarge(3145728), 413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'],
      [ApiError.unsupportedMediaType(), 415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml'],
      [ApiError.notAcceptable(), 406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/yaml'],
      [ApiError.internal(new Error('boom')), 500, 'InternalError', 'Internal error occurred: boom'],
      [ApiError.serviceUnavailable('down'), 503, 'ServiceUnavailable', 'down'],
      [ApiError.timeout('request did not complete'), 504, 'Timeout', 'Timeout: request did not complete'],
    ];
    for (const [err, code, reason, message] of cases) {
      assert.deepEqual([err.code, err.reason, err.message], [code, reason, message]);
    }
    assert.ok(isBadRequest(cases[0]?.[0]));
    assert.ok(isGone(cases[2]?.[0]));
    assert.ok(!isResourceExpired(cases[2]?.[0]));
    assert.ok(isResourceExpired(cases[3]?.[0]));
    assert.ok(isMethodNotSupported(cases[4]?.[0]));
    assert.ok(isInternalError(cases[8]?.[0]));
    assert.deepEqual(ApiError.internal('boom').status.details, { causes: [{ message: 'boom' }] });
  });

  it('retry hints', () => {
    const tooMany = ApiError.tooManyRequests(5);
    assert.deepEqual(tooMany.status.details, { retryAfterSeconds: 5 });
    assert.equal(tooMany.code, 429);
    assert.ok(isTooManyRequests(tooMany));
    assert.equal(suggestsClientDelay(tooMany), 5);

    const server = ApiError.serverTimeout(pods, 'list', 2);
    assert.equal(server.code, 500);
    assert.equal(server.message, 'The list operation against pods could not be completed at this time, please try again.');
    assert.deepEqual(server.status.details, { name: 'list', kind: 'pods', retryAfterSeconds: 2 });
    assert.ok(isServerTimeout(server));

    assert.deepEqual(ApiError.timeout('x').status.details, {});
    assert.equal(suggestsClientDelay(ApiError.timeout('x')), undefined);
  });

  it('tooLargeResourceVersion', () => {
    const err = ApiError.tooLargeResourceVersion(20, 10);
    assert.equal(err.code, 504);
    assert.equal(err.reason, 'Timeout');
    assert.equal(err.message, 'Timeout: Too large resource version: 20, current: 10');
    assert.deepEqual(err.status.details, {
      retryAfterSeconds: 1,
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    });
    assert.ok(isTimeout(err));
    assert.ok(isTooLargeResourceVersion(err));
    assert.ok(hasStatusCause(err, 'ResourceVersionTooLarge'));
    assert.ok(!isTooLargeResourceVersion(ApiError.timeout('x', 1)));
  });

  it('fromStatus rebuilds what a server sent', () => {
    const original = ApiError.notFound(deployments, 'web');
    const wire = JSON.parse(JSON.stringify(original.status));
    const rebuilt = ApiError.fromStatus(wire);
    assert.deepEqual(rebuilt.status, original.status);
    assert.equal(rebuilt.message, 'deployments.apps "web" not found');
    assert.ok(isNotFound(rebuilt));
  });

  it('predicates fall back to the code for unknown reasons', () => {
    const odd = ApiError.fromStatus({ status: 'Failure', code: 404, message: 'gone fishing', reason: 'Fishing' });
    assert.ok(isNotFound(odd));
    const known = ApiError.fromStatus({ status: 'Failure', code: 404, message: 'x', reason: 'Conflict' });
    assert.ok(!isNotFound(known));
    assert.ok(!isNotFound(new Error('pods "x" not found')));
    assert.ok(!isNotFound(undefined));
  });
});
