/**
 * The admission plugins by name, in upstream's order (kube-apiserver's AllOrderedPlugins), and which are on by
 * default. Whatever order the flags list them in, enabled plugins always run in this order.
 */
export const ORDERED_ADMISSION_PLUGINS: readonly string[] = [
  'AlwaysAdmit',
  'NamespaceAutoProvision',
  'NamespaceLifecycle',
  'NamespaceExists',
  'LimitPodHardAntiAffinityTopology',
  'LimitRanger',
  'ServiceAccount',
  'NodeRestriction',
  'TaintNodesByCondition',
  'AlwaysPullImages',
  'ImagePolicyWebhook',
  'PodSecurity',
  'PodNodeSelector',
  'Priority',
  'DefaultTolerationSeconds',
  'PodTolerationRestriction',
  'EventRateLimit',
  'ExtendedResourceToleration',
  'DefaultStorageClass',
  'StorageObjectInUseProtection',
  'OwnerReferencesPermissionEnforcement',
  'PersistentVolumeClaimResize',
  'RuntimeClass',
  'CertificateApproval',
  'CertificateSigning',
  'ClusterTrustBundleAttest',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'DenyServiceExternalIPs',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
  'AlwaysDeny',
];

/** Plugins upstream leaves off unless --enable-admission-plugins names them. */
const DEFAULT_OFF: ReadonlySet<string> = new Set([
  'AlwaysAdmit',
  'NamespaceAutoProvision',
  'NamespaceExists',
  'LimitPodHardAntiAffinityTopology',
  'NodeRestriction',
  'AlwaysPullImages',
  'ImagePolicyWebhook',
  'PodNodeSelector',
  'PodTolerationRestriction',
  'EventRateLimit',
  'ExtendedResourceToleration',
  'OwnerReferencesPermissionEnforcement',
  'DenyServiceExternalIPs',
  'AlwaysDeny',
]);

/** Plugins this server turns on although upstream's binary does not: like kubeadm and k3s, Skiff enforces NodeRestriction. */
const SKIFF_DEFAULT_ON: ReadonlySet<string> = new Set(['NodeRestriction']);

export function defaultEnabledAdmissionPlugins(): string[] {
  return ORDERED_ADMISSION_PLUGINS.filter((p) => !DEFAULT_OFF.has(p) || SKIFF_DEFAULT_ON.has(p));
}

/**
 * The plugins that run, in order: the defaults plus --enable-admission-plugins, minus --disable-admission-plugins.
 * Throws (for the command line) on a name upstream does not know or one named in both lists.
 */
export function enabledAdmissionPlugins(enable: readonly string[] = [], disable: readonly string[] = []): string[] {
  const unknown = [...enable, ...disable].filter((p) => !ORDERED_ADMISSION_PLUGINS.includes(p));
  if (unknown.length > 0) throw new Error(`enable-admission-plugins plugin ${JSON.stringify(unknown[0])} is unknown`);
  const both = enable.filter((p) => disable.includes(p));
  if (both.length > 0) throw new Error(`${both.join(', ')} were defined in both --enable-admission-plugins and --disable-admission-plugins`);
  const on = new Set([...defaultEnabledAdmissionPlugins(), ...enable]);
  for (const p of disable) on.delete(p);
  return ORDERED_ADMISSION_PLUGINS.filter((p) => on.has(p));
}
