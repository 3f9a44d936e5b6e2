import { test } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateResponseFormat, parseIncludeObject } from './table-negotiation.js';

const KUBECTL =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

const summary = (accept: string | undefined): string => {
  const f = negotiateResponseFormat(accept);
  if (f === undefined) return '406';
  return f.as === 'Object' ? `Object ${f.mediaType}` : `${f.as} ${f.version} ${f.mediaType}`;
};

test('negotiates as kube-apiserver does for tables, partial metadata and plain objects', () => {
  const cases: [string | undefined, string][] = [
    [KUBECTL, 'Table v1 application/json'],
    ['application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json', 'Table v1beta1 application/json'],
    ['application/json;as=Table;g=meta.k8s.io;v=v1beta1', 'Table v1beta1 application/json'],
    ['application/json', 'Object application/json'],
    [undefined, 'Object application/json'],
    ['', 'Object application/json'],
    ['*/*', 'Object application/json'],
    ['application/*', 'Object application/json'],
    ['application/yaml;as=Table;v=v1;g=meta.k8s.io', 'Table v1 application/yaml'],
    ['application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io, application/json', 'Object application/json'],
    ['application/json;as=Table;v=v2;g=meta.k8s.io,application/json', 'Object application/json'],
    ['application/json;as=Table;g=meta.k8s.io,application/json', 'Object application/json'],
    ['application/json;as=Table;v=v1;g=example.com', '406'],
    ['application/json;as=table;v=v1;g=meta.k8s.io', '406'],
    ['application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io', 'PartialObjectMetadataList v1 application/json'],
    ['application/json;q=0.5,application/json;as=Table;v=v1;g=meta.k8s.io', 'Table v1 application/json'],
    ['application/json;as=Table;v=v1;g=meta.k8s.io;q=0.9,application/yaml', 'Object application/yaml'],
    ['*/*,application/json;as=Table;v=v1;g=meta.k8s.io', 'Table v1 application/json'],
    ['text/html', '406'],
    ['application/yaml;stream=watch,application/json;stream=watch', 'Object application/json'],
  ];
  for (const [accept, want] of cases) assert.equal(summary(accept), want, String(accept));
});

test('pretty=1 and the available media types are honoured', () => {
  assert.deepEqual(negotiateResponseFormat('application/json;as=Table;v=v1;g=meta.k8s.io;pretty=1'), {
    as: 'Table',
    version: 'v1',
    mediaType: 'application/json',
    pretty: true,
  });
  assert.equal(negotiateResponseFormat('application/yaml', ['application/json']), undefined);
});

test('includeObject defaults to Metadata and rejects unknown values', () => {
  assert.equal(parseIncludeObject(null), 'Metadata');
  assert.equal(parseIncludeObject(''), 'Metadata');
  assert.equal(parseIncludeObject('None'), 'None');
  assert.equal(parseIncludeObject('Object'), 'Object');
  assert.equal(parseIncludeObject('object'), undefined);
});
