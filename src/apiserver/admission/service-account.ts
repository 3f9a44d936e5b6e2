import type { Container, Pod, ServiceAccount, Volume, VolumeMount } from 'kubernetes-types/core/v1.js';
import { generateName } from '../../api/index.js';
import { WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS } from '../serviceaccount/index.js';
import { admissionForbidden, type AdmissionAttributes, type MutatingAdmissionPlugin } from './admission.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
/** Where every container finds its service account token, CA and namespace. */
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const KUBE_API_ACCESS_PREFIX = 'kube-api-access-';
export const ROOT_CA_CONFIG_MAP = 'kube-root-ca.crt';
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** Finds a service account; undefined when it does not exist. */
export type ServiceAccountGetter = (namespace: string, name: string) => Promise<ServiceAccount | undefined>;

/** The projected volume upstream's admission adds: a 3607 s token, the cluster's CA and the Pod's namespace. */
export function kubeApiAccessVolume(name: string): Volume {
  return {
    name,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS, path: 'token' } },
        { configMap: { name: ROOT_CA_CONFIG_MAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      defaultMode: 0o644,
    },
  };
}

/** A volume named kube-api-access-… is taken to be the token volume already (as upstream does). */
function isKubeApiAccessVolume(v: Volume): boolean {
  return v.name.startsWith(KUBE_API_ACCESS_PREFIX);
}

/**
 * upstream's ServiceAccount admission plugin, for Pods being created: an empty serviceAccountName becomes `default`;
 * the service account must exist (403 otherwise, so controllers retry until the ServiceAccount controller made it);
 * and unless the Pod or its service account opts out with automountServiceAccountToken: false, the Pod gets the
 * `kube-api-access-<5 random>` projected volume, mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in
 * every container and init container that does not mount something there already. Mirror Pods are left alone.
 */
export function serviceAccountAdmission(getServiceAccount: ServiceAccountGetter, random: () => number = Math.random): MutatingAdmissionPlugin {
  return {
    name: 'ServiceAccount',
    async admit(attrs: AdmissionAttributes) {
      if (attrs.operation !== 'CREATE' || attrs.group !== '' || attrs.resource !== 'pods' || attrs.subresource !== '') return;
      const pod = attrs.object as Pod;
      if (pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
      const spec = (pod.spec ??= { containers: [] });
      if (!spec.serviceAccountName) spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT;
      spec.serviceAccount = spec.serviceAccountName;
      const sa = await getServiceAccount(attrs.namespace, spec.serviceAccountName);
      if (!sa) {
        const name = spec.serviceAccountName;
        throw admissionForbidden(attrs, `error looking up service account ${attrs.namespace}/${name}: serviceaccount "${name}" not found`);
      }
      const automount = spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
      if (automount) mountToken(spec, random);
    },
  };
}

function mountToken(spec: NonNullable<Pod['spec']>, random: () => number): void {
  const volumes = spec.volumes ?? [];
  let volumeName = volumes.find(isKubeApiAccessVolume)?.name;
  const mountsIt = (c: Container) => (c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH);
  const containers = [...(spec.initContainers ?? []), ...spec.containers];
  const needing = containers.filter((c) => !mountsIt(c));
  if (needing.length === 0) return;
  if (volumeName === undefined) {
    const taken = new Set(volumes.map((v) => v.name));
    do volumeName = generateName(KUBE_API_ACCESS_PREFIX, { random });
    while (taken.has(volumeName));
    spec.volumes = [...volumes, kubeApiAccessVolume(volumeName)];
  }
  const mount: VolumeMount = { name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH };
  for (const c of needing) c.volumeMounts = [...(c.volumeMounts ?? []), { ...mount }];
}
