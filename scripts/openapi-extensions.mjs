// What kubernetes-types cannot say about the Go types behind it, and gen-openapi.mjs needs:
// list/map merge semantics (the Go `+listType`, `+listMapKey`, `patchStrategy` and `patchMergeKey`
// tags), which properties are int64 or float rather than int32, and the special string types.

const merge = (key, mapKeys = [key], strategy = 'merge') => ({
  'x-kubernetes-list-map-keys': mapKeys,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-patch-merge-key': key,
  'x-kubernetes-patch-strategy': strategy,
});
const atomic = { 'x-kubernetes-list-type': 'atomic' };
const set = { 'x-kubernetes-list-type': 'set' };
/** A map list (for server-side apply) that strategic merge patch still replaces whole. */
const mapListWithoutPatchStrategy = (key) => ({ 'x-kubernetes-list-map-keys': [key], 'x-kubernetes-list-type': 'map' });

const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const RBAC = 'io.k8s.api.rbac.v1';
const ADMISSION = 'io.k8s.api.admissionregistration';
const admissionVersions = ['v1', 'v1beta1', 'v1alpha1'];

const containerLists = {
  env: merge('name'),
  ports: merge('containerPort', ['containerPort', 'protocol']),
  volumeMounts: merge('mountPath'),
  volumeDevices: merge('devicePath'),
  envFrom: atomic,
  command: atomic,
  args: atomic,
  resizePolicy: atomic,
};

/** Extensions of a property, keyed by `<definition>.<property>`. */
export const propertyExtensions = {
  ...Object.fromEntries(
    ['Container', 'EphemeralContainer'].flatMap((type) =>
      Object.entries(containerLists).map(([field, ext]) => [`${CORE}.${type}.${field}`, ext]),
    ),
  ),
  [`${CORE}.PodSpec.containers`]: merge('name'),
  [`${CORE}.PodSpec.initContainers`]: merge('name'),
  [`${CORE}.PodSpec.ephemeralContainers`]: merge('name'),
  [`${CORE}.PodSpec.volumes`]: merge('name', ['name'], 'merge,retainKeys'),
  [`${CORE}.PodSpec.imagePullSecrets`]: merge('name'),
  [`${CORE}.PodSpec.hostAliases`]: merge('ip'),
  [`${CORE}.PodSpec.tolerations`]: atomic,
  [`${CORE}.PodSpec.readinessGates`]: atomic,
  [`${CORE}.PodSpec.topologySpreadConstraints`]: merge('topologyKey', ['topologyKey', 'whenUnsatisfiable']),
  [`${CORE}.PodSpec.resourceClaims`]: merge('name', ['name'], 'merge,retainKeys'),
  [`${CORE}.PodSpec.schedulingGates`]: merge('name'),
  [`${CORE}.PodStatus.podIPs`]: merge('ip'),
  [`${CORE}.PodStatus.hostIPs`]: merge('ip'),
  [`${CORE}.PodStatus.containerStatuses`]: atomic,
  [`${CORE}.PodStatus.initContainerStatuses`]: atomic,
  [`${CORE}.PodStatus.ephemeralContainerStatuses`]: atomic,
  [`${CORE}.NodeStatus.addresses`]: merge('type'),
  [`${CORE}.NodeSpec.taints`]: atomic,
  [`${CORE}.NodeSpec.podCIDRs`]: { ...set, 'x-kubernetes-patch-strategy': 'merge' },
  [`${CORE}.ServiceSpec.ports`]: merge('port', ['port', 'protocol']),
  [`${CORE}.ServiceSpec.clusterIPs`]: atomic,
  [`${CORE}.ServiceSpec.externalIPs`]: atomic,
  [`${CORE}.ServiceSpec.ipFamilies`]: atomic,
  [`${CORE}.ServiceAccount.secrets`]: merge('name'),
  [`${CORE}.EndpointSubset.addresses`]: atomic,
  [`${CORE}.EndpointSubset.notReadyAddresses`]: atomic,
  [`${CORE}.EndpointSubset.ports`]: atomic,
  [`${CORE}.Endpoints.subsets`]: atomic,
  [`${CORE}.NodeSelector.nodeSelectorTerms`]: atomic,
  [`${CORE}.NodeSelectorTerm.matchExpressions`]: atomic,
  [`${CORE}.NodeSelectorTerm.matchFields`]: atomic,
  [`${META}.ObjectMeta.ownerReferences`]: merge('uid'),
  [`${META}.ObjectMeta.finalizers`]: { ...set, 'x-kubernetes-patch-strategy': 'merge' },
  [`${META}.ObjectMeta.managedFields`]: atomic,
  [`${META}.LabelSelector.matchExpressions`]: atomic,
  [`${META}.LabelSelectorRequirement.values`]: atomic,
  [`${RBAC}.Role.rules`]: atomic,
  [`${RBAC}.ClusterRole.rules`]: atomic,
  [`${RBAC}.RoleBinding.subjects`]: atomic,
  [`${RBAC}.ClusterRoleBinding.subjects`]: atomic,
  [`${RBAC}.AggregationRule.clusterRoleSelectors`]: atomic,
  [`${CORE}.ContainerStatus.allocatedResourcesStatus`]: merge('name'),
  [`${CORE}.ContainerStatus.volumeMounts`]: merge('mountPath'),
  [`${CORE}.PodStatus.resourceClaimStatuses`]: merge('name', ['name'], 'merge,retainKeys'),
  ['io.k8s.api.storage.v1.CSINodeSpec.drivers']: merge('name'),
  ['io.k8s.api.batch.v1.JobStatus.conditions']: {
    ...atomic,
    'x-kubernetes-patch-merge-key': 'type',
    'x-kubernetes-patch-strategy': 'merge',
  },
  ...Object.fromEntries(
    admissionVersions.flatMap((v) => [
      [`${ADMISSION}.${v}.MutatingWebhookConfiguration.webhooks`, merge('name')],
      [`${ADMISSION}.${v}.ValidatingWebhookConfiguration.webhooks`, merge('name')],
      [`${ADMISSION}.${v}.MutatingWebhook.matchConditions`, merge('name')],
      [`${ADMISSION}.${v}.ValidatingWebhook.matchConditions`, merge('name')],
      [`${ADMISSION}.${v}.ValidatingAdmissionPolicySpec.matchConditions`, merge('name')],
      [`${ADMISSION}.${v}.ValidatingAdmissionPolicySpec.variables`, merge('name')],
      [`${ADMISSION}.${v}.ValidatingAdmissionPolicyStatus.conditions`, mapListWithoutPatchStrategy('type')],
    ]),
  ),
  ['io.k8s.api.apiserverinternal.v1alpha1.StorageVersionStatus.conditions']: mapListWithoutPatchStrategy('type'),
  ['io.k8s.api.certificates.v1.CertificateSigningRequestStatus.conditions']: mapListWithoutPatchStrategy('type'),
  ['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus.conditions']:
    mapListWithoutPatchStrategy('type'),
  // Struct-valued fields: gen-openapi.mjs does not yet copy extensions onto $ref properties.
  ['io.k8s.api.apps.v1.DeploymentSpec.strategy']: { 'x-kubernetes-patch-strategy': 'retainKeys' },
  ['io.k8s.api.policy.v1.PodDisruptionBudgetSpec.selector']: { 'x-kubernetes-patch-strategy': 'replace' },
};

/**
 * A `conditions` list whose items have a `type` is keyed by it, as most upstream statuses do;
 * propertyExtensions lists the exceptions.
 */
export const conditionsExtension = merge('type');

/** Definitions whose objects are replaced whole by merges (`+structType=atomic`). */
export const atomicStructs = new Set([
  `${META}.LabelSelector`,
  `${META}.OwnerReference`,
  `${CORE}.LocalObjectReference`,
  `${CORE}.ObjectReference`,
  `${CORE}.TypedLocalObjectReference`,
  `${CORE}.SecretReference`,
  `${CORE}.NodeSelector`,
  `${CORE}.NodeSelectorTerm`,
  `${CORE}.TopologySelectorTerm`,
  `${CORE}.ConfigMapKeySelector`,
  `${CORE}.SecretKeySelector`,
  `${CORE}.ObjectFieldSelector`,
  `${CORE}.ResourceFieldSelector`,
  `${CORE}.ConfigMapEnvSource`,
  `${CORE}.SecretEnvSource`,
]);

/** Maps replaced whole by merges (`+mapType=atomic`), keyed like propertyExtensions. */
export const atomicMaps = new Set([`${CORE}.PodSpec.nodeSelector`, `${META}.LabelSelector.matchLabels`]);

/** Integer properties that are int64 in Go; every other integer is int32. */
export const int64Properties = new Set([
  'activeDeadlineSeconds',
  'deletionGracePeriodSeconds',
  'expirationSeconds',
  'fsGroup',
  'generation',
  'gracePeriodSeconds',
  'int',
  'ints',
  'maxItems',
  'maxLength',
  'maxProperties',
  'minItems',
  'minLength',
  'minProperties',
  'observedGeneration',
  'remainingItemCount',
  'revision',
  'runAsGroup',
  'runAsUser',
  'seconds',
  'sizeBytes',
  'startingDeadlineSeconds',
  'supplementalGroups',
  'terminationGracePeriodSeconds',
  'tolerationSeconds',
]);

/** Number properties that are float64 in Go, keyed like propertyExtensions. */
export const doubleProperties = new Set(
  ['maximum', 'minimum', 'multipleOf'].map((p) => `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps.${p}`),
);

/** Go int32 properties whose name int64Properties would claim. */
export const int32Overrides = new Set(['io.k8s.api.certificates.v1.CertificateSigningRequestSpec.expirationSeconds']);

/** Definitions that are string aliases in kubernetes-types but have their own wire shape upstream. */
export const scalarDefinitions = {
  [`${META}.Time`]: { type: 'string', format: 'date-time' },
  [`${META}.MicroTime`]: { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
};

/** Free-form definitions that upstream leaves untyped (any JSON value), rather than objects. */
export const untypedDefinitions = new Set(['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON']);

/** kubernetes-types inlines intstr.IntOrString as `number | string`; upstream references this. */
export const intOrString = {
  name: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  schema: {
    description:
      'IntOrString holds either an int32 or a string. JSON and YAML carry the inner value as it is, so a field of this type takes a name or a number.',
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
    'x-kubernetes-int-or-string': true,
  },
};

/** kubernetes-types module path (`core/v1`) → upstream Go package, where it is not io.k8s.api.<group>.<version>. */
export const packages = {
  'meta/v1': 'io.k8s.apimachinery.pkg.apis.meta.v1',
  runtime: 'io.k8s.apimachinery.pkg.runtime',
  'api/resource': 'io.k8s.apimachinery.pkg.api.resource',
  version: 'io.k8s.apimachinery.pkg.version',
  'apiextensions/v1': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1',
};
