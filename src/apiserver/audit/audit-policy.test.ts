import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditPolicyError, parseAuditPolicy } from './audit-policy.js';

test('YAML and JSON policies read into rules with every list defaulted', () => {
  const yaml = parseAuditPolicy(`
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: RequestResponse
    resources:
      - group: ""
        resources: [pods]
    namespaces: [prod]
  - level: Metadata
`);
  assert.deepEqual(yaml.omitStages, ['RequestReceived']);
  assert.equal(yaml.omitManagedFields, false);
  assert.deepEqual(yaml.rules[0]?.resources, [{ group: '', resources: ['pods'], resourceNames: [] }]);
  assert.deepEqual(yaml.rules[1], { level: 'Metadata', users: [], userGroups: [], verbs: [], resources: [], namespaces: [], nonResourceURLs: [], omitStages: [], omitManagedFields: undefined });
  const json = parseAuditPolicy(JSON.stringify({ apiVersion: 'audit.k8s.io/v1beta1', kind: 'Policy', omitManagedFields: true, rules: [{ level: 'None', users: ['a'] }] }));
  assert.equal(json.omitManagedFields, true);
  assert.deepEqual(json.rules[0]?.users, ['a']);
});

test('an unusable policy is an AuditPolicyError naming the problem', () => {
  const bad: [string, RegExp][] = [
    ['rules: [', /failed decoding/],
    ['- 1', /not an object/],
    ['apiVersion: v1\nkind: Policy\nrules: [{level: None}]', /unknown group version .*v1, Kind=Policy/],
    ['apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []', /illegal policy with 0 rules/],
    ['apiVersion: audit.k8s.io/v1\nkind: Policy', /illegal policy with 0 rules/],
    ['apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{verbs: [get]}]', /rules\[0\]\.level: Required value/],
    ['apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: Everything}]', /rules\[0\]\.level: Unsupported value: "Everything"/],
    ['apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, omitStages: [Sent]}]', /rules\[0\]\.omitStages\[0\]: Invalid value: "Sent": allowed stages are/],
    ['apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [Later]\nrules: [{level: None}]', /^omitStages\[0\]/],
    ['apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, nonResourceURLs: [healthz]}]', /must begin with a '\/' character/],
    ['apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, nonResourceURLs: ["/a*/b"]}]', /must be the final character/],
    ['apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, nonResourceURLs: [/a], namespaces: [x]}]', /both regular resources and non-resource URLs/],
    ['apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, resources: [{group: Apps/v1}]}]', /rules\[0\]\.resources\[0\]\.group: Invalid value: "Apps\/v1"/],
    ['apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, resources: [{resourceNames: [x]}]}]', /using resourceNames requires at least one resource/],
    ['apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, verbs: get}]', /rules\[0\]\.verbs: must be a list/],
  ];
  for (const [text, message] of bad) {
    assert.throws(() => parseAuditPolicy(text), (err: unknown) => err instanceof AuditPolicyError && message.test(err.message), text);
  }
});
