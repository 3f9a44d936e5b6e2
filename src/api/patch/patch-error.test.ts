import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PANIC_MESSAGE, PatchError } from './patch-error.js';

const statusOf = (err: PatchError): Record<string, unknown> => ({ ...err.toApiError().status });

describe('PatchError.toApiError', () => {
  it('answers malformed patches 400 with the message', () => {
    assert.deepEqual(statusOf(PatchError.badRequest('invalid patch format of retainKeys')), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'invalid patch format of retainKeys',
      reason: 'BadRequest',
      code: 400,
    });
  });

  it("answers failed operations 422 with NewGenericServerResponse's fixed message", () => {
    const status = statusOf(PatchError.invalid('testing value /a failed: test failed'));
    assert.equal(status.code, 422);
    assert.equal(status.reason, 'Invalid');
    assert.equal(status.message, 'the server rejected our request due to an error in our request');
    assert.deepEqual(status.details, {});
  });

  it('answers too many operations 413', () => {
    const status = statusOf(new PatchError('RequestEntityTooLarge', 'The allowed maximum operations in a JSON patch is 10000, got 10001'));
    assert.equal(status.code, 413);
    assert.equal(status.message, 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
  });

  it('answers plain errors 500 without reason, and panics 500', () => {
    const plain = statusOf(PatchError.unknown('map: map[image:x] does not contain declared merge key: name'));
    assert.deepEqual([plain.code, plain.reason, plain.message], [500, '', 'map: map[image:x] does not contain declared merge key: name']);
    const panic = statusOf(PatchError.panic());
    assert.deepEqual([panic.code, panic.message], [500, PANIC_MESSAGE]);
  });
});
