import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPullPolicy, parseImageName } from './image-reference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

test('references are normalised as distribution parses them', () => {
  assert.deepEqual(parseImageName('nginx'), { repository: 'docker.io/library/nginx', tag: 'latest', digest: '' });
  assert.deepEqual(parseImageName('nginx:1.25'), { repository: 'docker.io/library/nginx', tag: '1.25', digest: '' });
  assert.deepEqual(parseImageName('registry.k8s.io/pause:3.9'), {
    repository: 'registry.k8s.io/pause',
    tag: '3.9',
    digest: '',
  });
  assert.deepEqual(parseImageName(`nginx@${DIGEST}`), { repository: 'docker.io/library/nginx', tag: '', digest: DIGEST });
  assert.equal(parseImageName('localhost:5000/a/b:v1')?.tag, 'v1');
  assert.equal(parseImageName('index.docker.io/nginx')?.repository, 'docker.io/library/nginx');
});

test('malformed references do not parse', () => {
  for (const image of ['', 'Nginx', 'nginx:', 'a'.repeat(64), 'nginx@sha256:abc', `nginx@md5:${'a'.repeat(64)}`, ' nginx']) {
    assert.equal(parseImageName(image), undefined, image);
  }
});

const PULL_POLICIES: ReadonlyArray<readonly [string, string]> = [
  ['nginx', 'Always'],
  ['nginx:latest', 'Always'],
  ['nginx:1.25', 'IfNotPresent'],
  [`nginx@${DIGEST}`, 'IfNotPresent'],
  [`nginx:latest@${DIGEST}`, 'Always'],
  ['example.com:5000/team/app', 'Always'],
  ['UPPER/case', 'Always'],
  ['Invalid_Name', 'IfNotPresent'],
  ['', 'IfNotPresent'],
];

test('imagePullPolicy follows the tag', () => {
  for (const [image, policy] of PULL_POLICIES) assert.equal(defaultPullPolicy(image), policy, image);
});
