import type { Scale } from 'kubernetes-types/autoscaling/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { RoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { KubeObject } from '../kube-object.js';
import { int } from './cell-format.js';
import { ageColumn, column, nameColumn, NAME_DOC } from './columns.js';
import { timeSince } from './human-duration.js';
import type { PrintedRow, TablePrinter } from './table-types.js';

function bindingColumns(roleRefDoc: string, what: string): TablePrinter['columns'] {
  return [
    nameColumn(),
    column('Role', 'string', roleRefDoc),
    ageColumn(),
    column('Users', 'string', `Users in the ${what}`, 1),
    column('Groups', 'string', `Groups in the ${what}`, 1),
    column('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, 1),
  ];
}

/** rbac.SubjectsStrings, each list joined with ", " as the printer shows it. */
function subjectCells(subjects: readonly Subject[] | undefined): [users: string, groups: string, serviceAccounts: string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name}`);
    else if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingPrinter(columns: TablePrinter['columns']): TablePrinter {
  return {
    columns,
    print(obj: KubeObject, now: number): PrintedRow {
      const rb = obj as Partial<RoleBinding>;
      return {
        cells: [
          rb.metadata?.name ?? '',
          `${rb.roleRef?.kind ?? ''}/${rb.roleRef?.name ?? ''}`,
          timeSince(rb.metadata?.creationTimestamp, now),
          ...subjectCells(rb.subjects),
        ],
      };
    },
  };
}

const roleBindingPrinter = bindingPrinter(
  bindingColumns(
    'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
    'roleBinding',
  ),
);

const clusterRoleBindingPrinter = bindingPrinter(
  bindingColumns(
    'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
    'clusterRoleBinding',
  ),
);

const leasePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column(
      'Holder',
      'string',
      'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.',
    ),
    ageColumn(),
  ],
  print(obj: KubeObject, now: number): PrintedRow {
    const lease = obj as Lease;
    return {
      cells: [lease.metadata?.name ?? '', lease.spec?.holderIdentity ?? '', timeSince(lease.metadata?.creationTimestamp, now)],
    };
  },
};

const priorityClassPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Value', 'integer', 'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.'),
    column(
      'Global-Default',
      'boolean',
      'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.',
    ),
    ageColumn(),
    column('PreemptionPolicy', 'string', 'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.'),
  ],
  print(obj: KubeObject, now: number): PrintedRow {
    const pc = obj as unknown as PriorityClass;
    return {
      cells: [pc.metadata?.name ?? '', int(pc.value), pc.globalDefault ?? false, timeSince(pc.metadata?.creationTimestamp, now), pc.preemptionPolicy ?? ''],
    };
  },
};

/** The scale subresource's printer; its Name column, alone upstream, has no `name` format. */
const scalePrinter: TablePrinter = {
  columns: [
    column('Name', 'string', NAME_DOC),
    column('Desired', 'integer', 'replicas is the desired number of instances for the scaled object.'),
    column('Available', 'integer', 'replicas is the actual number of observed instances of the scaled object.'),
    ageColumn(),
  ],
  print(obj: KubeObject, now: number): PrintedRow {
    const scale = obj as Scale;
    return {
      cells: [
        scale.metadata?.name ?? '',
        int(scale.spec?.replicas),
        int(scale.status?.replicas),
        timeSince(scale.metadata?.creationTimestamp, now),
      ],
    };
  },
};

/** Printers for RBAC bindings, Leases and autoscaling/v1 Scale, keyed `group/Kind`. */
export const accessPrinters: Readonly<Record<string, TablePrinter>> = {
  'rbac.authorization.k8s.io/RoleBinding': roleBindingPrinter,
  'rbac.authorization.k8s.io/ClusterRoleBinding': clusterRoleBindingPrinter,
  'coordination.k8s.io/Lease': leasePrinter,
  'scheduling.k8s.io/PriorityClass': priorityClassPrinter,
  'autoscaling/Scale': scalePrinter,
};
