import { generateJobSelector, prepareNamespaceForCreate } from '../../api/index.js';
import type { KubeObject } from '../kube-object.js';
import { beginNamespaceDelete, namespaceDeletedDuringUpdate } from './namespace-lifecycle.js';
import type { ResourceStrategy } from './resource-strategy.js';
import type { ClusterIPAllocator, NodePortAllocator } from './service-allocators.js';
import { serviceStrategy } from './service-strategy.js';

type Obj = Record<string, unknown>;
const field = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Obj)[k] : undefined), o);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Keeps `status` from the stored object: writes to the main resource cannot change it. */
function keepStatus(obj: KubeObject, old: KubeObject): void {
  if (old.status === undefined) delete obj.status;
  else obj.status = old.status;
}

/** A write to /status changes status only (and may not touch spec or ownership metadata). */
function statusOnly(obj: KubeObject, old: KubeObject): void {
  for (const k of Object.keys(obj)) if (k !== 'status' && k !== 'metadata' && k !== 'kind' && k !== 'apiVersion') delete obj[k];
  for (const k of Object.keys(old)) if (k !== 'status' && k !== 'metadata') obj[k] = old[k];
  const meta = obj.metadata!;
  const oldMeta = old.metadata!;
  meta.ownerReferences = oldMeta.ownerReferences;
  meta.finalizers = oldMeta.finalizers;
  if (meta.ownerReferences === undefined) delete meta.ownerReferences;
  if (meta.finalizers === undefined) delete meta.finalizers;
}

/** upstream's GetPodQOS: Guaranteed, Burstable or BestEffort from the containers' requests and limits. */
export function podQosClass(spec: unknown): string {
  const containers = [...((field(spec, 'containers') as Obj[] | undefined) ?? []), ...((field(spec, 'initContainers') as Obj[] | undefined) ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const requests = (field(c, 'resources', 'requests') as Obj | undefined) ?? {};
    const limits = (field(c, 'resources', 'limits') as Obj | undefined) ?? {};
    for (const r of ['cpu', 'memory']) {
      const req = requests[r];
      const lim = limits[r];
      if (req !== undefined || lim !== undefined) any = true;
      if (lim === undefined || (req !== undefined && String(req) !== String(lim))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const pods: ResourceStrategy = {
  allowUnconditionalUpdate: true,
  returnDeletedObject: true,
  prepareForCreate(obj) {
    obj.status = { phase: 'Pending', qosClass: podQosClass(obj.spec) };
  },
  prepareForUpdate: keepStatus,
  prepareForStatusUpdate: statusOnly,
  selectableFields: (obj) => ({
    'spec.nodeName': str(field(obj, 'spec', 'nodeName')),
    'spec.restartPolicy': str(field(obj, 'spec', 'restartPolicy')),
    'spec.schedulerName': str(field(obj, 'spec', 'schedulerName')),
    'spec.serviceAccountName': str(field(obj, 'spec', 'serviceAccountName')),
    'spec.hostNetwork': String(field(obj, 'spec', 'hostNetwork') === true),
    'status.phase': str(field(obj, 'status', 'phase')),
    'status.podIP': str(field(obj, 'status', 'podIP')),
    'status.nominatedNodeName': str(field(obj, 'status', 'nominatedNodeName')),
  }),
  gracePeriodSeconds(obj, requested) {
    const phase = field(obj, 'status', 'phase');
    if (!field(obj, 'spec', 'nodeName') || phase === 'Succeeded' || phase === 'Failed') return 0;
    const grace = requested ?? (field(obj, 'spec', 'terminationGracePeriodSeconds') as number | undefined) ?? 30;
    return Math.max(0, grace);
  },
};

/** Workloads with a spec and a status written by their controller (ReplicaSet, Deployment, Job, CronJob). */
function workload(initialStatus: () => Obj): ResourceStrategy {
  return {
    allowUnconditionalUpdate: true,
    generation: true,
    prepareForCreate(obj) {
      obj.status = initialStatus();
    },
    prepareForUpdate: keepStatus,
    prepareForStatusUpdate: statusOnly,
  };
}

const jobs: ResourceStrategy = {
  ...workload(() => ({})),
  // batch/v1 keeps the orphaning default of its first versions (upstream's jobStrategy); kubectl sends Background.
  defaultGarbageCollectionPolicy: 'OrphanDependents',
  prepareForCreate(obj) {
    obj.status = {};
    generateJobSelector(obj);
  },
};

const namespaces: ResourceStrategy = {
  allowUnconditionalUpdate: true,
  returnDeletedObject: true,
  prepareForCreate: prepareNamespaceForCreate,
  prepareForUpdate(obj, old) {
    obj.spec = old.spec;
    keepStatus(obj, old);
  },
  prepareForStatusUpdate: statusOnly,
  // PUT …/finalize: spec.finalizers (and metadata) from the request, status kept.
  prepareForFinalizeUpdate: keepStatus,
  shouldDeleteDuringUpdate: namespaceDeletedDuringUpdate,
  beginDelete: beginNamespaceDelete,
  selectableFields: (obj) => ({ 'status.phase': str(field(obj, 'status', 'phase')) }),
};

const nodes: ResourceStrategy = {
  allowUnconditionalUpdate: true,
  prepareForUpdate: keepStatus,
  prepareForStatusUpdate: statusOnly,
  selectableFields: (obj) => ({ 'spec.unschedulable': String(field(obj, 'spec', 'unschedulable') === true) }),
};

const services: ResourceStrategy = {
  allowUnconditionalUpdate: true,
  returnDeletedObject: true,
  prepareForCreate(obj) {
    obj.status = { loadBalancer: {} };
  },
  prepareForUpdate: keepStatus,
  prepareForStatusUpdate: statusOnly,
};

const plain: ResourceStrategy = { allowUnconditionalUpdate: true };

export interface StrategyOptions {
  /** --event-ttl in seconds (default 3600). */
  readonly eventTtlSeconds?: number;
  /** Where Service ClusterIPs and NodePorts come from. */
  readonly clusterIPs: ClusterIPAllocator;
  readonly nodePorts: NodePortAllocator;
}

function events(ttl: number, involved: (obj: KubeObject) => Obj | undefined): ResourceStrategy {
  return {
    allowUnconditionalUpdate: true,
    allowCreateOnUpdate: true,
    ttlSeconds: ttl,
    selectableFields: (obj) => {
      const io = involved(obj);
      return {
        'involvedObject.kind': str(io?.kind),
        'involvedObject.namespace': str(io?.namespace),
        'involvedObject.name': str(io?.name),
        'involvedObject.uid': str(io?.uid),
        'involvedObject.apiVersion': str(io?.apiVersion),
        'involvedObject.resourceVersion': str(io?.resourceVersion),
        'involvedObject.fieldPath': str(io?.fieldPath),
        reason: str(obj.reason),
        reportingComponent: str(obj.reportingComponent ?? obj.reportingController),
        source: str(field(obj, 'source', 'component') ?? field(obj, 'deprecatedSource', 'component')),
        type: str(obj.type),
      };
    },
  };
}

/** The strategy of every served resource, by `<group>/<resource>`. */
export function strategies(options: StrategyOptions): Map<string, ResourceStrategy> {
  const ttl = options.eventTtlSeconds ?? 3600;
  return new Map<string, ResourceStrategy>([
    ['/pods', pods],
    ['/namespaces', namespaces],
    ['/nodes', nodes],
    ['/services', serviceStrategy(options.clusterIPs, options.nodePorts, services)],
    ['/configmaps', { ...plain, omitWhenEmpty: ['data', 'binaryData'] }],
    ['/secrets', { ...plain, omitWhenEmpty: ['data', 'stringData'] }],
    ['/events', events(ttl, (o) => o.involvedObject as Obj | undefined)],
    ['events.k8s.io/events', events(ttl, (o) => o.regarding as Obj | undefined)],
    ['apps/replicasets', workload(() => ({ replicas: 0 }))],
    ['apps/deployments', { ...workload(() => ({})), generationOnAnnotations: true }],
    ['batch/jobs', jobs],
    ['batch/cronjobs', workload(() => ({}))],
  ]).set('default', plain);
}
