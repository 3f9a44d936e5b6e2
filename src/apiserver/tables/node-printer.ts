import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../kube-object.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { timeSince } from './human-duration.js';
import type { PrintedRow, TablePrinter } from './table-types.js';

const ADDRESSES_DOC =
  "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).";

const COLUMNS = [
  nameColumn(),
  column('Status', 'string', 'The status of the node'),
  column('Roles', 'string', 'The roles of the node'),
  ageColumn(),
  column('Version', 'string', 'Kubelet Version reported by the node.'),
  column('Internal-IP', 'string', ADDRESSES_DOC, 1),
  column('External-IP', 'string', ADDRESSES_DOC, 1),
  column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
  column('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
  column(
    'Container-Runtime',
    'string',
    'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
    1,
  ),
];

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

function nodeStatus(node: Node): string {
  let ready: string | undefined;
  for (const c of node.status?.conditions ?? []) {
    if (c.type === 'Ready') ready = c.status === 'True' ? 'Ready' : 'NotReady';
  }
  const status = [ready ?? 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** findNodeRoles: `node-role.kubernetes.io/<role>` keys and `kubernetes.io/role=<role>` values, sorted and unique. */
function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith(ROLE_PREFIX)) {
      const role = key.slice(ROLE_PREFIX.length);
      if (role !== '') roles.add(role);
    } else if (key === ROLE_LABEL && value !== '') {
      roles.add(value);
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(',');
}

const address = (node: Node, type: string): string =>
  node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';

export const nodePrinter: TablePrinter = {
  columns: COLUMNS,
  print(obj: KubeObject, now: number): PrintedRow {
    const node = obj as Node;
    const info = node.status?.nodeInfo;
    return {
      cells: [
        node.metadata?.name ?? '',
        nodeStatus(node),
        nodeRoles(node),
        timeSince(node.metadata?.creationTimestamp, now),
        info?.kubeletVersion ?? '',
        address(node, 'InternalIP'),
        address(node, 'ExternalIP'),
        info?.osImage || '<unknown>',
        info?.kernelVersion || '<unknown>',
        info?.containerRuntimeVersion || '<unknown>',
      ],
    };
  },
};
