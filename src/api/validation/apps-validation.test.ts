import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults } from '../defaults/apply-defaults.js';
import { fieldErrorMessage } from '../field-error.js';
import { validateObject } from './validate-object.js';

type Json = Record<string, unknown>;
type Mutation = (obj: Json, spec: Json) => void;

function workload(kind: 'ReplicaSet' | 'Deployment', mutate: Mutation = () => {}): Json {
  const obj: Json = {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: 'web', namespace: 'default', resourceVersion: '7' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
    },
  };
  mutate(obj, obj['spec'] as Json);
  applyDefaults('apps', 'v1', kind, obj);
  return obj;
}

function templateOf(spec: Json): Json {
  return spec['template'] as Json;
}

function messages(kind: 'ReplicaSet' | 'Deployment', obj: Json, old?: Json): string[] {
  return validateObject('apps', 'v1', kind, obj, old ? { old } : {}).map(fieldErrorMessage);
}

const MISMATCH = 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`';

const SHARED_CASES: ReadonlyArray<readonly [string, Mutation, string[]]> = [
  ['a valid object', () => {}, []],
  ['template labels that do not match', (_o, spec) => ((templateOf(spec)['metadata'] as Json)['labels'] = { app: 'other' }), [MISMATCH]],
  [
    'an empty selector',
    (_o, spec) => (spec['selector'] = { matchLabels: {} }),
    [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    ],
  ],
  [
    'no selector',
    (_o, spec) => delete spec['selector'],
    [
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ],
  ],
  [
    'a selector expression without values',
    (_o, spec) => (spec['selector'] = { matchExpressions: [{ key: 'app', operator: 'In' }] }),
    [
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"In", Values:[]string(nil)}}}: invalid label selector',
    ],
  ],
  ['negative replicas', (_o, spec) => (spec['replicas'] = -1), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
  [
    'a template that does not restart',
    (_o, spec) => ((templateOf(spec)['spec'] as Json)['restartPolicy'] = 'Never'),
    ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
  ],
  [
    'an invalid container in the template',
    (_o, spec) => ((templateOf(spec)['spec'] as Json)['containers'] = [{ name: 'app' }]),
    ['spec.template.spec.containers[0].image: Required value'],
  ],
];

for (const kind of ['ReplicaSet', 'Deployment'] as const) {
  for (const [name, mutate, expected] of SHARED_CASES) {
    test(`${kind} create: ${name}`, () => assert.deepEqual(messages(kind, workload(kind, mutate)), expected));
  }
  test(`${kind} update: the selector is immutable in apps/v1`, () => {
    const changed = workload(kind, (_o, spec) => {
      spec['selector'] = { matchLabels: { app: 'web', tier: 'front' } };
      (templateOf(spec)['metadata'] as Json)['labels'] = { app: 'web', tier: 'front' };
    });
    const errs = [
      ...new Set(messages(kind, changed, workload(kind))),
    ];
    assert.deepEqual(errs, [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"front"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });
  test(`${kind} update: replicas and template may change`, () => {
    const scaled = workload(kind, (_o, spec) => {
      spec['replicas'] = 5;
      (templateOf(spec)['spec'] as Json)['containers'] = [{ name: 'app', image: 'nginx:2' }];
    });
    assert.deepEqual(messages(kind, scaled, workload(kind)), []);
  });
}

test('ReplicaSet update re-runs create validation, so spec errors repeat as upstream', () => {
  const broken = workload('ReplicaSet', (_o, spec) => (spec['replicas'] = -1));
  assert.deepEqual(messages('ReplicaSet', broken, workload('ReplicaSet')), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

const DEPLOYMENT_CASES: ReadonlyArray<readonly [string, Mutation, string[]]> = [
  [
    'a malformed maxUnavailable',
    (_o, spec) => (spec['strategy'] = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25' } }),
    [
      `spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"25"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
    ],
  ],
  [
    'maxSurge and maxUnavailable both 0',
    (_o, spec) => (spec['strategy'] = { rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } }),
    ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'],
  ],
  [
    'an unknown strategy',
    (_o, spec) => (spec['strategy'] = { type: 'BlueGreen' }),
    [
      'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
    ],
  ],
  [
    'rollingUpdate with Recreate',
    (_o, spec) => (spec['strategy'] = { type: 'Recreate', rollingUpdate: {} }),
    ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
  ],
  [
    'a progress deadline not above minReadySeconds',
    (_o, spec) => {
      spec['minReadySeconds'] = 30;
      spec['progressDeadlineSeconds'] = 30;
    },
    ['spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds'],
  ],
];

for (const [name, mutate, expected] of DEPLOYMENT_CASES) {
  test(`Deployment create: ${name}`, () => assert.deepEqual(messages('Deployment', workload('Deployment', mutate)), expected));
}
