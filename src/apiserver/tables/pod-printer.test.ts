import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../kube-object.js';
import { toTable } from './table-convertor.js';

const NOW = Date.parse('2025-01-15T12:00:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString().replace('.000Z', 'Z');
const MIN = 60_000;

function row(pod: Pod) {
  const table = toTable('', 'Pod', [pod as KubeObject], { includeObject: 'None', now: NOW, withColumns: false });
  return table.rows![0]!;
}

function pod(status: Pod['status'], extra: { spec?: Partial<NonNullable<Pod['spec']>>; deleting?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      creationTimestamp: ago(10 * 60 * MIN),
      ...(extra.deleting ? { deletionTimestamp: ago(MIN) } : {}),
    },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...extra.spec },
    status,
  };
}

const running = (name = 'app', restartCount = 0): ContainerStatus => ({
  name,
  image: 'nginx',
  imageID: '',
  ready: true,
  restartCount,
  state: { running: { startedAt: ago(MIN) } },
});
const waiting = (reason: string, restartCount = 0, name = 'app'): ContainerStatus => ({
  name,
  image: 'nginx',
  imageID: '',
  ready: false,
  restartCount,
  state: { waiting: { reason } },
});
const terminated = (t: { reason?: string; exitCode: number; signal?: number }, name = 'app'): ContainerStatus => ({
  name,
  image: 'nginx',
  imageID: '',
  ready: false,
  restartCount: 0,
  state: { terminated: t },
});
const readyCondition = { type: 'Ready', status: 'True' };

test('the seed row: a running pod with one ready container', () => {
  const seed: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'my-replicaset-qswlg', namespace: 'default', creationTimestamp: ago(10 * 60 * MIN) },
    spec: { containers: [{ name: 'nginx', image: 'nginx' }], nodeName: 'node-1' },
    status: { phase: 'Running', podIP: '10.244.0.5', containerStatuses: [running('nginx')] },
  };
  const { cells, conditions } = row(seed);
  assert.deepEqual(cells.slice(0, 5), ['my-replicaset-qswlg', '1/1', 'Running', '0', '10h']);
  assert.deepEqual(cells.slice(5), ['10.244.0.5', 'node-1', '<none>', '<none>']);
  assert.equal(conditions, undefined);
});

test('READY, STATUS and RESTARTS follow printPod', () => {
  const sidecarSpec = {
    initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }],
    containers: [{ name: 'app', image: 'nginx' }],
  };
  const twoContainers = { containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'nginx' }] };
  const twoInits = { initContainers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox' }] };
  const lastExit = (cs: ContainerStatus, minutesAgo: number): ContainerStatus => ({
    ...cs,
    lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(minutesAgo * MIN) } },
  });
  const cases: [string, Pod, [string, string, string]][] = [
    ['pending, no statuses', pod({ phase: 'Pending' }), ['0/1', 'Pending', '0']],
    ['container creating', pod({ phase: 'Pending', containerStatuses: [waiting('ContainerCreating')] }), ['0/1', 'ContainerCreating', '0']],
    [
      'crash loop with the last restart 2m ago',
      pod({ phase: 'Running', containerStatuses: [lastExit(waiting('CrashLoopBackOff', 5), 2)] }),
      ['0/1', 'CrashLoopBackOff', '5 (2m ago)'],
    ],
    ['restarts without a last state', pod({ phase: 'Running', containerStatuses: [running('app', 3)] }), ['1/1', 'Running', '3']],
    [
      'completed',
      pod({ phase: 'Succeeded', containerStatuses: [terminated({ reason: 'Completed', exitCode: 0 })] }),
      ['0/1', 'Completed', '0'],
    ],
    ['error', pod({ phase: 'Failed', containerStatuses: [terminated({ reason: 'Error', exitCode: 1 })] }), ['0/1', 'Error', '0']],
    ['exit code without reason', pod({ phase: 'Failed', containerStatuses: [terminated({ exitCode: 137 })] }), ['0/1', 'ExitCode:137', '0']],
    ['signal without reason', pod({ phase: 'Failed', containerStatuses: [terminated({ exitCode: 0, signal: 9 })] }), ['0/1', 'Signal:9', '0']],
    ['evicted', pod({ phase: 'Failed', reason: 'Evicted' }), ['0/1', 'Evicted', '0']],
    ['terminating', pod({ phase: 'Running', containerStatuses: [running()] }, { deleting: true }), ['1/1', 'Terminating', '0']],
    [
      'a succeeded pod being deleted keeps its status',
      pod({ phase: 'Succeeded', containerStatuses: [terminated({ reason: 'Completed', exitCode: 0 })] }, { deleting: true }),
      ['0/1', 'Completed', '0'],
    ],
    ['node lost', pod({ phase: 'Running', reason: 'NodeLost', containerStatuses: [running()] }, { deleting: true }), ['1/1', 'Unknown', '0']],
    [
      'scheduling gated',
      pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
      ['0/1', 'SchedulingGated', '0'],
    ],
    [
      'first init container running',
      pod({ phase: 'Pending', initContainerStatuses: [waiting('PodInitializing', 0, 'a')] }, { spec: twoInits }),
      ['0/1', 'Init:0/2', '0'],
    ],
    [
      'second init container running',
      pod(
        { phase: 'Pending', initContainerStatuses: [terminated({ reason: 'Completed', exitCode: 0 }, 'a'), running('b')] },
        { spec: twoInits },
      ),
      ['0/1', 'Init:1/2', '0'],
    ],
    [
      'init container crash looping counts its restarts',
      pod({ phase: 'Pending', initContainerStatuses: [lastExit(waiting('CrashLoopBackOff', 3, 'a'), 1)] }, { spec: twoInits }),
      ['0/1', 'Init:CrashLoopBackOff', '3 (60s ago)'],
    ],
    [
      'init container failed',
      pod({ phase: 'Pending', initContainerStatuses: [terminated({ reason: 'Error', exitCode: 1 }, 'a')] }, { spec: twoInits }),
      ['0/1', 'Init:Error', '0'],
    ],
    [
      'init container exit code',
      pod({ phase: 'Pending', initContainerStatuses: [terminated({ exitCode: 2 }, 'a')] }, { spec: twoInits }),
      ['0/1', 'Init:ExitCode:2', '0'],
    ],
    [
      'init container signal',
      pod({ phase: 'Pending', initContainerStatuses: [terminated({ exitCode: 143, signal: 15 }, 'a')] }, { spec: twoInits }),
      ['0/1', 'Init:Signal:15', '0'],
    ],
    [
      'init restarts no longer count once initialised',
      pod(
        {
          phase: 'Running',
          initContainerStatuses: [{ ...terminated({ reason: 'Completed', exitCode: 0 }, 'a'), restartCount: 4 }],
          containerStatuses: [running()],
        },
        { spec: { initContainers: [{ name: 'a', image: 'busybox' }] } },
      ),
      ['1/1', 'Running', '0'],
    ],
    [
      'a started sidecar counts as a container and its restarts count',
      pod(
        {
          phase: 'Running',
          initContainerStatuses: [{ ...lastExit(running('proxy', 2), 5), started: true }],
          containerStatuses: [running()],
        },
        { spec: sidecarSpec },
      ),
      ['2/2', 'Running', '2 (5m ago)'],
    ],
    [
      'a sidecar not yet started holds initialisation',
      pod({ phase: 'Pending', initContainerStatuses: [{ ...waiting('PodInitializing', 0, 'proxy'), started: false }] }, { spec: sidecarSpec }),
      ['0/2', 'Init:0/1', '0'],
    ],
    [
      'completed container beside a running one, pod ready',
      pod(
        { phase: 'Running', conditions: [readyCondition], containerStatuses: [running('a'), terminated({ reason: 'Completed', exitCode: 0 }, 'b')] },
        { spec: twoContainers },
      ),
      ['1/2', 'Running', '0'],
    ],
    [
      'completed container beside a running one, pod not ready',
      pod({ phase: 'Running', containerStatuses: [running('a'), terminated({ reason: 'Completed', exitCode: 0 }, 'b')] }, { spec: twoContainers }),
      ['1/2', 'NotReady', '0'],
    ],
    [
      'restarts of several containers add up, the latest exit dates them',
      pod({ phase: 'Running', containerStatuses: [lastExit(running('a', 1), 30), lastExit(running('b', 2), 4)] }, { spec: twoContainers }),
      ['2/2', 'Running', '3 (4m ago)'],
    ],
  ];
  for (const [name, p, want] of cases) assert.deepEqual(row(p).cells.slice(1, 4), want, name);
});

test('row conditions mark succeeded and failed pods', () => {
  assert.deepEqual(row(pod({ phase: 'Succeeded' })).conditions, [
    { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
  ]);
  assert.deepEqual(row(pod({ phase: 'Failed' })).conditions, [
    { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
  ]);
});

test('wide cells: IP from podIP or podIPs, node, nominated node, readiness gates', () => {
  const p = pod(
    {
      phase: 'Running',
      podIPs: [{ ip: 'fd00::5' }],
      nominatedNodeName: 'node-2',
      conditions: [
        { type: 'example.com/a', status: 'True' },
        { type: 'example.com/b', status: 'False' },
      ],
    },
    { spec: { readinessGates: [{ conditionType: 'example.com/a' }, { conditionType: 'example.com/b' }] } },
  );
  assert.deepEqual(row(p).cells.slice(5), ['fd00::5', '<none>', 'node-2', '1/2']);
});
