import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalize, computeHash, fnv32a, safeEncodeString } from './pod-template-hash.js';

const template = () => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }], restartPolicy: 'Always' } });

describe('pod-template-hash', () => {
  it('fnv32a matches the FNV-1a reference vectors', () => {
    assert.equal(fnv32a(new Uint8Array()), 0x811c9dc5);
    assert.equal(fnv32a(new TextEncoder().encode('a')), 0xe40c292c);
    assert.equal(fnv32a(new TextEncoder().encode('foobar')), 0xbf9cf968);
  });

  it('SafeEncodeString maps decimal digits as upstream (alphanums[byte % 27]: 0→4 … 9→f)', () => {
    assert.equal(safeEncodeString('0123456789'), '456789bcdf');
  });

  it('is deterministic, ignores key order and empty members, and uses only safe characters', () => {
    const a = computeHash(template());
    const reordered = { spec: { restartPolicy: 'Always', containers: [{ image: 'nginx', name: 'c', env: [] }] }, metadata: { annotations: {}, labels: { app: 'web' } } };
    assert.equal(computeHash(reordered), a);
    assert.match(a, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.notEqual(computeHash({ ...template(), spec: { containers: [{ name: 'c', image: 'nginx:2' }] } }), a);
  });

  it('a collisionCount gives another hash, and the same count the same one', () => {
    const base = computeHash(template());
    assert.notEqual(computeHash(template(), 1), base);
    assert.equal(computeHash(template(), 1), computeHash(template(), 1));
    assert.notEqual(computeHash(template(), 2), computeHash(template(), 1));
    assert.notEqual(computeHash(template(), 0), base);
  });

  it('canonicalize sorts keys and drops null, empty objects and empty arrays', () => {
    assert.deepEqual(JSON.stringify(canonicalize({ b: 1, a: { z: null, y: [] , x: {} }, c: [{ d: 2, c: 1 }] })), '{"b":1,"c":[{"c":1,"d":2}]}');
  });
});
