/**
 * Volume defaults: SetDefaults_Volume (no source means an emptyDir), the file modes of
 * secret/configMap/downwardAPI/projected sources, and the `+default` markers of the other
 * volume sources.
 */
import { defaultFieldSelector } from './container-defaults.js';
import {
  defaultEmbeddedMetadata,
  isObject,
  objectsAt,
  orderKeys,
  setDefault,
  type JsonObject,
} from './field-order.js';
import { defaultResourceList } from './resource-list.js';

/** 0644, the mode upstream gives projected files unless told otherwise. */
export const DEFAULT_FILE_MODE = 420;
const TOKEN_EXPIRATION_SECONDS = 3600;

const VOLUME_SOURCE_KEYS = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
] as const;

function withMode(source: unknown, order: readonly string[]): JsonObject | undefined {
  if (!isObject(source)) return undefined;
  setDefault(source, 'defaultMode', DEFAULT_FILE_MODE);
  orderKeys(source, order);
  return source;
}

function defaultDownwardApiItems(source: JsonObject): void {
  for (const item of objectsAt(source, 'items')) defaultFieldSelector(item['fieldRef']);
}

function defaultProjected(source: unknown): void {
  const projected = withMode(source, ['sources', 'defaultMode']);
  if (!projected) return;
  for (const projection of objectsAt(projected, 'sources')) {
    const downwardApi = projection['downwardAPI'];
    if (isObject(downwardApi)) defaultDownwardApiItems(downwardApi);
    const token = projection['serviceAccountToken'];
    if (isObject(token)) {
      setDefault(token, 'expirationSeconds', TOKEN_EXPIRATION_SECONDS);
      orderKeys(token, ['audience', 'expirationSeconds', 'path']);
    }
  }
}

/** Sources whose fields carry `+default` markers in the v1 types. */
function defaultMarkedSources(volume: JsonObject): void {
  const defaults: ReadonlyArray<readonly [string, Readonly<Record<string, unknown>>]> = [
    ['iscsi', { iscsiInterface: 'default' }],
    ['rbd', { pool: 'rbd', user: 'admin', keyring: '/etc/ceph/keyring' }],
    ['azureDisk', { cachingMode: 'ReadWrite', fsType: 'ext4', readOnly: false, kind: 'Shared' }],
    ['scaleIO', { storageMode: 'ThinProvisioned', fsType: 'xfs' }],
  ];
  for (const [key, values] of defaults) {
    const source = volume[key];
    if (!isObject(source)) continue;
    for (const [field, value] of Object.entries(values)) setDefault(source, field, value);
  }
}

export function defaultVolume(volume: JsonObject): void {
  if (!VOLUME_SOURCE_KEYS.some((key) => isObject(volume[key]))) volume['emptyDir'] = {};
  const hostPath = volume['hostPath'];
  if (isObject(hostPath)) {
    setDefault(hostPath, 'type', '');
    orderKeys(hostPath, ['path', 'type']);
  }
  withMode(volume['secret'], ['secretName', 'items', 'defaultMode', 'optional']);
  withMode(volume['configMap'], ['name', 'items', 'defaultMode', 'optional']);
  const downwardApi = withMode(volume['downwardAPI'], ['items', 'defaultMode']);
  if (downwardApi) defaultDownwardApiItems(downwardApi);
  defaultProjected(volume['projected']);
  defaultMarkedSources(volume);
  const ephemeral = volume['ephemeral'];
  const template = isObject(ephemeral) ? ephemeral['volumeClaimTemplate'] : undefined;
  if (isObject(template)) defaultEmbeddedMetadata(template);
  const claimSpec = isObject(template) ? template['spec'] : undefined;
  if (isObject(claimSpec)) {
    setDefault(claimSpec, 'volumeMode', 'Filesystem');
    const resources = claimSpec['resources'];
    if (isObject(resources)) {
      defaultResourceList(resources['limits']);
      defaultResourceList(resources['requests']);
    }
  }
  orderKeys(volume, ['name', ...VOLUME_SOURCE_KEYS]);
}
