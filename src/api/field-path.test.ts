import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FieldPath, newPath } from './field-path.js';

describe('FieldPath', () => {
  it('renders children, indexes and keys as upstream', () => {
    assert.equal(String(newPath('spec').child('containers').index(0).child('image')), 'spec.containers[0].image');
    assert.equal(newPath('metadata', 'labels').key('app.kubernetes.io/name').toString(), 'metadata.labels[app.kubernetes.io/name]');
    assert.equal(FieldPath.of('a').child('b', 'c').toString(), 'a.b.c');
  });

  it('is immutable', () => {
    const base = newPath('spec');
    base.child('x');
    base.index(1);
    assert.equal(base.toString(), 'spec');
    assert.equal(base.child(), base);
  });
});
