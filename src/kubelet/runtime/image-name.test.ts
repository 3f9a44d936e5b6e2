import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeImage } from './image-name.js';

describe('normalizeImage', () => {
  it('fills in the registry, library/ and the tag as containerd does', () => {
    assert.equal(normalizeImage('nginx'), 'docker.io/library/nginx:latest');
    assert.equal(normalizeImage('nginx:1.27'), 'docker.io/library/nginx:1.27');
    assert.equal(normalizeImage('bitnami/redis'), 'docker.io/bitnami/redis:latest');
    assert.equal(normalizeImage('registry.k8s.io/pause:3.10'), 'registry.k8s.io/pause:3.10');
    assert.equal(normalizeImage('localhost:5000/app'), 'localhost:5000/app:latest');
    assert.equal(normalizeImage('busybox@sha256:abc'), 'docker.io/library/busybox@sha256:abc');
  });
});
