import type { Container, ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../kube-object.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { humanDuration, parseTime, timeSince } from './human-duration.js';
import type { PrintedRow, TablePrinter, TableRowCondition } from './table-types.js';

const COLUMNS = [
  nameColumn(),
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column(
    'Restarts',
    'string',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  ageColumn(),
  column('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
  column(
    'Node',
    'string',
    'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
    1,
  ),
  column(
    'Nominated Node',
    'string',
    'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
    1,
  ),
  column(
    'Readiness Gates',
    'string',
    'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
    1,
  ),
];

const SUCCEEDED: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
];
const FAILED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

/** Tracks a restart count and the latest `lastState.terminated.finishedAt` among the statuses counted. */
class Restarts {
  count = 0;
  last: number | undefined;

  add(status: ContainerStatus): void {
    this.count += status.restartCount ?? 0;
    const terminated = status.lastState?.terminated;
    if (terminated === undefined || terminated === null) return;
    const finished = parseTime(terminated.finishedAt);
    if (finished !== undefined && (this.last === undefined || this.last < finished)) this.last = finished;
  }

  cell(now: number): string {
    if (this.count === 0 || this.last === undefined) return String(this.count);
    return `${this.count} (${humanDuration(now - this.last)} ago)`;
  }
}

const isSidecar = (c: Container | undefined): boolean => c?.restartPolicy === 'Always';

/** isPodInitializedConditionTrue: the first Initialized condition decides. */
const initialized = (conditions: readonly PodCondition[] | undefined): boolean =>
  (conditions ?? []).find((c) => c.type === 'Initialized')?.status === 'True';

/** hasPodReadyCondition: any Ready condition that is True. */
const podReady = (conditions: readonly PodCondition[] | undefined): boolean =>
  (conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/**
 * What printPod makes of one init container status: `pass` when it no longer holds the pod back (a sidecar that has
 * started passes too, `readySidecar` when it is also ready), otherwise the STATUS it puts on the pod.
 */
function initContainerVerdict(
  status: ContainerStatus,
  index: number,
  total: number,
  sidecar: boolean,
): { pass: true; readySidecar: boolean } | { pass: false; reason: string } {
  const { terminated, waiting } = status.state ?? {};
  if (terminated && (terminated.exitCode ?? 0) === 0) return { pass: true, readySidecar: false };
  if (sidecar && status.started === true) return { pass: true, readySidecar: status.ready === true };
  if (terminated) {
    if (terminated.reason) return { pass: false, reason: `Init:${terminated.reason}` };
    const code = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
    return { pass: false, reason: `Init:${code}` };
  }
  if (waiting?.reason && waiting.reason !== 'PodInitializing') return { pass: false, reason: `Init:${waiting.reason}` };
  return { pass: false, reason: `Init:${index}/${total}` };
}

/** printPod's READY, STATUS and RESTARTS. */
function podState(pod: Pod, now: number): [ready: string, status: string, restarts: string] {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const initContainers = new Map((spec?.initContainers ?? []).map((c) => [c.name, c]));
  const total = (spec?.containers ?? []).length + (spec?.initContainers ?? []).filter(isSidecar).length;
  let ready = 0;
  const phase = status.phase ?? '';
  let reason = status.reason || phase;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const all = new Restarts();
  const sidecars = new Restarts();
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (const [i, cs] of initStatuses.entries()) {
    const sidecar = isSidecar(initContainers.get(cs.name));
    all.add(cs);
    if (sidecar) sidecars.add(cs);
    const verdict = initContainerVerdict(cs, i, spec?.initContainers?.length ?? 0, sidecar);
    if (verdict.pass) {
      if (verdict.readySidecar) ready++;
      continue;
    }
    reason = verdict.reason;
    initializing = true;
    break;
  }

  let restarts = all;
  if (!initializing || initialized(status.conditions)) {
    restarts = sidecars;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      restarts.add(cs);
      const { waiting, terminated, running } = cs.state ?? {};
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      else if (cs.ready && running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = podReady(status.conditions) ? 'Running' : 'NotReady';
  }

  const deleting = pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  return [`${ready}/${total}`, reason, restarts.cell(now)];
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const met = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${met}/${gates.length}`;
}

function printPod(obj: KubeObject, now: number): PrintedRow {
  const pod = obj as Pod;
  const [ready, status, restarts] = podState(pod, now);
  const podIP = pod.status?.podIP || pod.status?.podIPs?.[0]?.ip || '<none>';
  const row: PrintedRow = {
    cells: [
      pod.metadata?.name ?? '',
      ready,
      status,
      restarts,
      timeSince(pod.metadata?.creationTimestamp, now),
      podIP,
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGates(pod),
    ],
  };
  const phase = pod.status?.phase;
  if (phase === 'Succeeded') return { ...row, conditions: SUCCEEDED };
  if (phase === 'Failed') return { ...row, conditions: FAILED };
  return row;
}

/** Upstream's pod printer (pkg/printers/internalversion, v1.32). */
export const podPrinter: TablePrinter = { columns: COLUMNS, print: printPod };
