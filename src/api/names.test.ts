import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPathSegmentPrefix,
} from './names.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QNAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('isDNS1123Subdomain', () => {
  it('accepts subdomains', () => {
    for (const ok of ['a', 'example.com', 'a-b.c-d', '0', 'a'.repeat(253)]) assert.deepEqual(isDNS1123Subdomain(ok), [], ok);
  });
  it('rejects with upstream messages', () => {
    assert.deepEqual(isDNS1123Subdomain('Example.com'), [SUBDOMAIN_MSG]);
    assert.deepEqual(isDNS1123Subdomain(''), [SUBDOMAIN_MSG]);
    assert.deepEqual(isDNS1123Subdomain('a.'), [SUBDOMAIN_MSG]);
    assert.deepEqual(isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters']);
    assert.deepEqual(isDNS1123Subdomain(`${'a'.repeat(254)}-`), ['must be no more than 253 characters', SUBDOMAIN_MSG]);
  });
});

describe('isDNS1123Label', () => {
  it('accepts labels and rejects dots specially', () => {
    assert.deepEqual(isDNS1123Label('kube-system'), []);
    assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
    assert.deepEqual(isDNS1123Label('-a'), [LABEL_MSG]);
    assert.deepEqual(isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
  });
});

describe('isDNS1035Label', () => {
  it('needs a leading letter', () => {
    assert.deepEqual(isDNS1035Label('my-svc'), []);
    assert.deepEqual(isDNS1035Label('1svc'), [DNS1035_MSG]);
    assert.deepEqual(isDNS1035Label('a'.repeat(64)), ['must be no more than 63 characters']);
  });
});

describe('isQualifiedName', () => {
  it('accepts names with optional prefixes', () => {
    for (const ok of ['app', 'app.kubernetes.io/name', 'A_b.c-D', 'example.com/MyName']) assert.deepEqual(isQualifiedName(ok), [], ok);
  });
  it('explains each part', () => {
    assert.deepEqual(isQualifiedName('/name'), ['prefix part must be non-empty']);
    assert.deepEqual(isQualifiedName('Example.com/name'), [`prefix part ${SUBDOMAIN_MSG}`]);
    assert.deepEqual(isQualifiedName('example.com/'), ['name part must be non-empty', `name part ${QNAME_MSG}`]);
    assert.deepEqual(isQualifiedName('-x'), [`name part ${QNAME_MSG}`]);
    assert.deepEqual(isQualifiedName('a'.repeat(64)), ['name part must be no more than 63 characters']);
    assert.deepEqual(isQualifiedName('a/b/c'), [
      `a qualified name ${QNAME_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ]);
  });
});

describe('isValidLabelValue', () => {
  it('allows empty and rejects bad values', () => {
    assert.deepEqual(isValidLabelValue(''), []);
    assert.deepEqual(isValidLabelValue('v1.2_x'), []);
    assert.deepEqual(isValidLabelValue('a b'), [LABEL_VALUE_MSG]);
    assert.deepEqual(isValidLabelValue('a'.repeat(64)), ['must be no more than 63 characters']);
  });
});

describe('path segment names', () => {
  it('rejects . .. / %', () => {
    assert.deepEqual(isValidPathSegmentName('.'), ["may not be '.'"]);
    assert.deepEqual(isValidPathSegmentName('..'), ["may not be '..'"]);
    assert.deepEqual(isValidPathSegmentName('a/b%c'), ["may not contain '/'", "may not contain '%'"]);
    assert.deepEqual(isValidPathSegmentName('system:admin'), []);
    assert.deepEqual(isValidPathSegmentPrefix('.'), []);
    assert.deepEqual(isValidPathSegmentPrefix('a/'), ["may not contain '/'"]);
  });
});
