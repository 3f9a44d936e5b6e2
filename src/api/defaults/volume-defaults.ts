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

const PROJECTED_ORDER = ['sources', 'defaultMode'] as const;
const TOKEN_PROJECTION_ORDER = ['audience', 'expirationSeconds', 'path'] as const;
const HOST_PATH_ORDER = ['path', 'type'] as const;
const SECRET_ORDER = ['secretName', 'items', 'defaultMode', 'optional'] as const;
const CONFIG_MAP_ORDER = ['name', 'items', 'defaultMode', 'optional'] as const;
const DOWNWARD_API_ORDER = ['items', 'defaultMode'] as const;
const VOLUME_ORDER = ['name', ...VOLUME_SOURCE_KEYS] as const;

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
  const projected = withMode(source, PROJECTED_ORDER);
  if (!projected) return;
  for (const projection of objectsAt(projected, 'sources')) {
    const downwardApi = projection['downwardAPI'];
    if (isObject(downwardApi)) defaultDownwardApiItems(downwardApi);
    const token = projection['serviceAccountToken'];
    if (isObject(token)) {
      setDefault(token, 'expirationSeconds', TOKEN_EXPIRATION_SECONDS);
      orderKeys(token, TOKEN_PROJECTION_ORDER);
    }
  }
}

/** The `+default` values of those sources' fields. */
const MARKED_SOURCE_DEFAULTS: ReadonlyArray<readonly [string, Readonly<Record<string, unknown>>]> = [
  ['iscsi', { iscsiInterface: 'default' }],
  ['rbd', { pool: 'rbd', user: 'admin', keyring: '/etc/ceph/keyring' }],
  ['azureDisk', { cachingMode: 'ReadWrite', fsType: 'ext4', readOnly: false, kind: 'Shared' }],
  ['scaleIO', { storageMode: 'ThinProvisioned', fsType: 'xfs' }],
];

/** Sources whose fields carry `+default` markers in the v1 types. */
function defaultMarkedSources(volume: JsonObject): void {
  for (const [key, values] of MARKED_SOURCE_DEFAULTS) {
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
    orderKeys(hostPath, HOST_PATH_ORDER);
  }
  withMode(volume['secret'], SECRET_ORDER);
  withMode(volume['configMap'], CONFIG_MAP_ORDER);
  const downwardApi = withMode(volume['downwardAPI'], DOWNWARD_API_ORDER);
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
  orderKeys(volume, VOLUME_ORDER);
}
