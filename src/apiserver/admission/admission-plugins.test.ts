import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { KubeObject } from '../kube-object.js';
import { defaultEnabledAdmissionPlugins, enabledAdmissionPlugins } from './admission-plugins.js';
import { priorityAdmission } from './priority.js';
import { serviceAccountAdmission } from './service-account.js';

const podAttrs = (pod: Pod) => ({ operation: 'CREATE' as const, group: '', version: 'v1', kind: 'Pod', resource: 'pods', subresource: '', namespace: 'ns', object: pod as KubeObject });

test('the default admission chain is upstream’s, plus NodeRestriction, in upstream’s order', () => {
  const on = defaultEnabledAdmissionPlugins();
  assert.ok(on.indexOf('NamespaceLifecycle') < on.indexOf('ServiceAccount'));
  assert.ok(on.indexOf('ServiceAccount') < on.indexOf('NodeRestriction'));
  assert.ok(on.indexOf('Priority') < on.indexOf('DefaultTolerationSeconds'));
  assert.ok(!on.includes('AlwaysPullImages'));
  assert.deepEqual(enabledAdmissionPlugins(['AlwaysPullImages'], ['ServiceAccount']).filter((p) => p === 'AlwaysPullImages' || p === 'ServiceAccount'), ['AlwaysPullImages']);
  assert.throws(() => enabledAdmissionPlugins(['Nope']), /plugin "Nope" is unknown/);
  assert.throws(() => enabledAdmissionPlugins(['Priority'], ['Priority']), /both/);
});

test('ServiceAccount admission: default account, token volume and mounts; opt-outs and mirror Pods left alone', async () => {
  const accounts = new Map([['default', {}], ['quiet', { automountServiceAccountToken: false }]]);
  const plugin = serviceAccountAdmission(async (_ns, name) => accounts.get(name), () => 0);
  const pod: Pod = { metadata: { name: 'p' }, spec: { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }, { name: 'b', volumeMounts: [{ name: 'own', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }] } };
  await plugin.admit(podAttrs(pod));
  assert.equal(pod.spec?.serviceAccountName, 'default');
  assert.deepEqual(pod.spec?.volumes?.map((v) => v.name), ['kube-api-access-bbbbb']);
  assert.deepEqual(pod.spec?.initContainers?.[0]?.volumeMounts?.[0], { name: 'kube-api-access-bbbbb', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' });
  assert.equal(pod.spec?.containers[1]?.volumeMounts?.length, 1, 'a container with its own mount there keeps it');
  const quiet: Pod = { spec: { serviceAccountName: 'quiet', containers: [{ name: 'a' }] } };
  await plugin.admit(podAttrs(quiet));
  assert.equal(quiet.spec?.volumes, undefined);
  const optedOut: Pod = { spec: { automountServiceAccountToken: false, containers: [{ name: 'a' }] } };
  await plugin.admit(podAttrs(optedOut));
  assert.equal(optedOut.spec?.volumes, undefined);
  await assert.rejects(async () => plugin.admit(podAttrs({ metadata: { generateName: 'g-' }, spec: { serviceAccountName: 'x', containers: [] } })), /pods "g-" is forbidden: error looking up service account ns\/x: serviceaccount "x" not found/);
  const mirror: Pod = { metadata: { annotations: { 'kubernetes.io/config.mirror': 'x' } }, spec: { containers: [{ name: 'a' }] } };
  await plugin.admit(podAttrs(mirror));
  assert.equal(mirror.spec?.serviceAccountName, undefined);
});

test('Priority admission: class value, global default, refusals', async () => {
  const classes: PriorityClass[] = [
    { metadata: { name: 'high' }, value: 1000, preemptionPolicy: 'Never' },
    { metadata: { name: 'base' }, value: 10, globalDefault: true, preemptionPolicy: 'PreemptLowerPriority' },
  ];
  const plugin = priorityAdmission({ get: async (n) => classes.find((c) => c.metadata?.name === n), list: () => classes });
  const high: Pod = { spec: { priorityClassName: 'high', containers: [] } };
  await plugin.admit(podAttrs(high));
  assert.deepEqual([high.spec?.priority, high.spec?.preemptionPolicy], [1000, 'Never']);
  const plain: Pod = { spec: { containers: [] } };
  await plugin.admit(podAttrs(plain));
  assert.deepEqual([plain.spec?.priorityClassName, plain.spec?.priority], ['base', 10]);
  await assert.rejects(async () => plugin.admit(podAttrs({ metadata: { name: 'x' }, spec: { priorityClassName: 'none', containers: [] } })), /no PriorityClass with name none was found/);
  await assert.rejects(async () => plugin.admit(podAttrs({ metadata: { name: 'x' }, spec: { priorityClassName: 'high', priority: 1, containers: [] } })), /the integer value of priority \(1\)/);
  const none = priorityAdmission({ get: async () => undefined, list: () => [] });
  const zero: Pod = { spec: { containers: [] } };
  await none.admit(podAttrs(zero));
  assert.deepEqual([zero.spec?.priority, zero.spec?.preemptionPolicy], [0, 'PreemptLowerPriority']);
  const secondDefault = { metadata: { name: 'other' }, value: 1, globalDefault: true } as unknown as KubeObject;
  await assert.rejects(
    async () => plugin.admit({ operation: 'CREATE', group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass', resource: 'priorityclasses', subresource: '', namespace: '', object: secondDefault }),
    /PriorityClass base is already marked as default/,
  );
});
