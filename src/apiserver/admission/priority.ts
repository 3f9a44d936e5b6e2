import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import { admissionForbidden, type AdmissionAttributes, type MutatingAdmissionPlugin } from './admission.js';

export const SCHEDULING_GROUP = 'scheduling.k8s.io';
/** The priority of Pods when no PriorityClass is the global default (upstream's DefaultPriorityWhenNoDefaultClassExists). */
export const DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS = 0;

/** The PriorityClasses the plugin reads: by name, and all of them (for the global default). */
export interface PriorityClassLister {
  get(name: string): Promise<PriorityClass | undefined>;
  list(): readonly PriorityClass[];
}

/** The global default class: of several (a race can make two), the one with the lowest value, as upstream picks. */
function globalDefault(classes: readonly PriorityClass[]): PriorityClass | undefined {
  let found: PriorityClass | undefined;
  for (const pc of classes) if (pc.globalDefault && (found === undefined || pc.value < found.value)) found = pc;
  return found;
}

/**
 * upstream's Priority admission plugin. A Pod being created gets the priority and preemptionPolicy of its
 * priorityClassName (403 when no such class exists), or of the global default class, or 0 and PreemptLowerPriority;
 * a Pod that states a different priority or preemptionPolicy itself is refused. A PriorityClass may be created as
 * globalDefault only while no other class is.
 */
export function priorityAdmission(classes: PriorityClassLister): MutatingAdmissionPlugin {
  return {
    name: 'Priority',
    async admit(attrs: AdmissionAttributes) {
      if (attrs.subresource !== '') return;
      if (attrs.group === '' && attrs.resource === 'pods' && attrs.operation === 'CREATE') await admitPod(attrs, classes);
      if (attrs.group === SCHEDULING_GROUP && attrs.resource === 'priorityclasses') admitPriorityClass(attrs, classes);
    },
  };
}

async function admitPod(attrs: AdmissionAttributes, classes: PriorityClassLister): Promise<void> {
  const spec = ((attrs.object as Pod).spec ??= { containers: [] });
  let priority = DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS;
  let preemptionPolicy: string | undefined = 'PreemptLowerPriority';
  if (!spec.priorityClassName) {
    const pc = globalDefault(classes.list());
    if (pc) {
      spec.priorityClassName = pc.metadata?.name ?? '';
      priority = pc.value;
      preemptionPolicy = pc.preemptionPolicy;
    }
  } else {
    const pc = await classes.get(spec.priorityClassName);
    if (!pc) throw admissionForbidden(attrs, `no PriorityClass with name ${spec.priorityClassName} was found`);
    priority = pc.value;
    preemptionPolicy = pc.preemptionPolicy;
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    throw admissionForbidden(
      attrs,
      `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
    );
  }
  spec.priority = priority;
  if (preemptionPolicy !== undefined) {
    if (spec.preemptionPolicy && spec.preemptionPolicy !== preemptionPolicy) {
      throw admissionForbidden(
        attrs,
        `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`,
      );
    }
    spec.preemptionPolicy = preemptionPolicy;
  }
}

function admitPriorityClass(attrs: AdmissionAttributes, classes: PriorityClassLister): void {
  const pc = attrs.object as unknown as PriorityClass;
  if (!pc.globalDefault) return;
  const existing = globalDefault(classes.list().filter((c) => c.metadata?.name !== pc.metadata?.name));
  if (existing) throw admissionForbidden(attrs, `PriorityClass ${existing.metadata?.name ?? ''} is already marked as default. Only one default can exist`);
}
