import { test } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateMediaType } from './negotiate-media-type.js';

const V2_PB = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const offered = ['application/json', V2_PB];

test('no Accept header takes the first offer', () => {
  assert.equal(negotiateMediaType(undefined, offered), 'application/json');
  assert.equal(negotiateMediaType('', offered), 'application/json');
});

test('an exact subtype with @ and + matches', () => {
  assert.equal(negotiateMediaType(V2_PB, offered), V2_PB);
});

test('higher q wins, then the more specific range, then order', () => {
  assert.equal(negotiateMediaType(`application/json;q=0.5, ${V2_PB}`, offered), V2_PB);
  assert.equal(negotiateMediaType(`*/*, ${V2_PB}`, offered), V2_PB);
  assert.equal(negotiateMediaType('application/json, */*', offered), 'application/json');
  assert.equal(negotiateMediaType('application/*', offered), 'application/json');
});

test('q=0 and unmatched ranges are not acceptable', () => {
  assert.equal(negotiateMediaType('application/json;q=0', ['application/json']), undefined);
  assert.equal(negotiateMediaType('text/html', offered), undefined);
});
