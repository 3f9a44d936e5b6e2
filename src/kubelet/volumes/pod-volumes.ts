import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import type { Container, DownwardAPIVolumeFile, KeyToPath, Pod, ServiceAccountTokenProjection, Volume } from 'kubernetes-types/core/v1.js';
import { type EnvContext, type EnvSources, resourceFieldValue } from '../container-env.js';
import { fieldValue } from '../field-value.js';
import type { ContainerMount } from '../runtime/index.js';
import type { TokenManager } from '../token-manager.js';

/** A volume could not be set up (upstream's FailedMount: the Pod waits in ContainerCreating). */
export class VolumeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VolumeError';
  }
}

export interface PodVolumesOptions {
  /** `<root>/pods`: a Pod's volumes go under `<uid>/volumes/<plugin>/<name>`. */
  readonly podsDir: string;
  readonly sources: EnvSources;
  readonly env: EnvContext;
  /** Whether hostPath volumes may be used (`--allow-host-path`). */
  readonly allowHostPath: boolean;
  /** The service account tokens of projected serviceAccountToken sources (the kubelet's TokenManager). */
  readonly tokens?: Pick<TokenManager, 'token' | 'forgetPod'>;
}

/** A projected token's default lifetime (upstream's ServiceAccountTokenProjection default). */
const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

type Files = Map<string, { data: string | Buffer; mode: number }>;

/** A relative path inside a volume: no absolute path, no `..` element. */
function safeRelative(path: string, what: string): string {
  const n = normalize(path);
  if (path.startsWith('/') || n.split('/').includes('..') || n === '.' || n === '') throw new VolumeError(`${what}: invalid path ${JSON.stringify(path)}`);
  return n;
}

/**
 * Materialises the volumes of a Pod on disk (emptyDir, configMap, secret, downwardAPI, projected, and hostPath when
 * allowed) and answers where each is, so that a runtime can bind-mount them at the containers' mountPaths.
 * ConfigMap, Secret and downward API files are rewritten on every call, so a later start sees current data.
 */
export class PodVolumes {
  constructor(private readonly o: PodVolumesOptions) {}

  podDir(uid: string): string {
    return join(this.o.podsDir, uid);
  }

  /** Sets up every volume of the Pod; resolves with each volume's directory (or file) by name. */
  async prepare(pod: Pod, podIPs: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const volume of pod.spec?.volumes ?? []) out.set(volume.name, await this.prepareOne(pod, volume, podIPs));
    return out;
  }

  /** The mounts of `container`: each volumeMount (with its subPath) at its mountPath. */
  mounts(container: Container, volumes: ReadonlyMap<string, string>, pod: Pod): ContainerMount[] {
    return (container.volumeMounts ?? []).map((m) => {
      const hostPath = volumes.get(m.name);
      if (hostPath === undefined) throw new VolumeError(`cannot find volume "${m.name}" to mount into container "${container.name}"`);
      const volume = pod.spec?.volumes?.find((v) => v.name === m.name);
      const alwaysReadOnly = Boolean(volume?.configMap || volume?.secret || volume?.downwardAPI || volume?.projected);
      return { containerPath: m.mountPath, hostPath: m.subPath ? join(hostPath, safeRelative(m.subPath, `subPath of ${m.name}`)) : hostPath, readOnly: Boolean(m.readOnly) || alwaysReadOnly };
    });
  }

  /** Removes the Pod's directory (its volumes with it), and forgets its tokens. */
  remove(uid: string): void {
    if (!uid) return;
    rmSync(this.podDir(uid), { recursive: true, force: true });
    this.o.tokens?.forgetPod(uid);
  }

  /**
   * Rewrites the service account tokens of the Pod's projected volumes that are set up already; the token manager hands
   * out a new token once 80 % of the old one's lifetime has passed. Resolves with whether the Pod has any (the kubelet
   * then syncs it again in a while, as upstream's volume manager remounts).
   */
  async refreshTokens(pod: Pod): Promise<boolean> {
    let any = false;
    for (const v of pod.spec?.volumes ?? []) {
      const sources = (v.projected?.sources ?? []).filter((s) => s.serviceAccountToken);
      if (sources.length === 0) continue;
      any = true;
      const dir = join(this.podDir(pod.metadata?.uid ?? ''), 'volumes', 'kubernetes.io~projected', v.name);
      if (!existsSync(dir)) continue;
      const files: Files = new Map();
      for (const s of sources) for (const [k, f] of await this.tokenFile(pod, s.serviceAccountToken!, v.projected!.defaultMode ?? 0o644)) files.set(k, f);
      writeVolumeFiles(dir, files, false);
    }
    return any;
  }

  private async prepareOne(pod: Pod, v: Volume, podIPs: readonly string[]): Promise<string> {
    const uid = pod.metadata?.uid ?? '';
    const dir = (plugin: string) => join(this.podDir(uid), 'volumes', plugin, v.name);
    if (v.emptyDir) {
      mkdirSync(dir('kubernetes.io~empty-dir'), { recursive: true, mode: 0o777 });
      return dir('kubernetes.io~empty-dir');
    }
    if (v.hostPath) return this.hostPath(v);
    let files: Files;
    let plugin: string;
    if (v.configMap) {
      plugin = 'kubernetes.io~configmap';
      files = await this.keyFiles('configmap', v.configMap.name ?? '', v.configMap.items, v.configMap.optional, v.configMap.defaultMode ?? 0o644, pod);
    } else if (v.secret) {
      plugin = 'kubernetes.io~secret';
      files = await this.keyFiles('secret', v.secret.secretName ?? '', v.secret.items, v.secret.optional, v.secret.defaultMode ?? 0o644, pod);
    } else if (v.downwardAPI) {
      plugin = 'kubernetes.io~downward-api';
      files = this.downwardFiles(pod, v.downwardAPI.items ?? [], v.downwardAPI.defaultMode ?? 0o644, podIPs);
    } else if (v.projected) {
      plugin = 'kubernetes.io~projected';
      files = new Map();
      const mode = v.projected.defaultMode ?? 0o644;
      for (const source of v.projected.sources ?? []) {
        let part: Files = new Map();
        if (source.configMap) part = await this.keyFiles('configmap', source.configMap.name ?? '', source.configMap.items, source.configMap.optional, mode, pod);
        else if (source.secret) part = await this.keyFiles('secret', source.secret.name ?? '', source.secret.items, source.secret.optional, mode, pod);
        else if (source.downwardAPI) part = this.downwardFiles(pod, source.downwardAPI.items ?? [], mode, podIPs);
        else if (source.serviceAccountToken) part = await this.tokenFile(pod, source.serviceAccountToken, mode);
        // clusterTrustBundle sources are not served by this kubelet: nothing is written.
        for (const [k, f] of part) files.set(k, f);
      }
    } else {
      const kind = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
      throw new VolumeError(`volume "${v.name}": ${kind} volumes are not supported by this kubelet`);
    }
    const target = dir(plugin);
    writeVolumeFiles(target, files);
    return target;
  }

  private hostPath(v: Volume): string {
    const hp = v.hostPath!;
    if (!this.o.allowHostPath) throw new VolumeError(`volume "${v.name}": hostPath volumes are not allowed on this node (skiff kubelet --allow-host-path)`);
    const path = hp.path;
    const type = hp.type ?? '';
    const exists = existsSync(path);
    if (type === 'DirectoryOrCreate' && !exists) mkdirSync(path, { recursive: true, mode: 0o755 });
    if (type === 'FileOrCreate' && !exists) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, '', { mode: 0o644 });
    }
    if (type !== '' && type !== 'DirectoryOrCreate' && type !== 'FileOrCreate') {
      const stat = exists ? statSync(path) : undefined;
      const ok = type === 'Directory' ? stat?.isDirectory() : type === 'File' ? stat?.isFile() : type === 'Socket' ? stat?.isSocket() : type === 'CharDevice' ? stat?.isCharacterDevice() : type === 'BlockDevice' ? stat?.isBlockDevice() : false;
      if (!ok) throw new VolumeError(`hostPath type check failed: ${path} is not a ${type.toLowerCase()}`);
    }
    return path;
  }

  private async keyFiles(kind: 'configmap' | 'secret', name: string, items: readonly KeyToPath[] | undefined, optional: boolean | undefined, mode: number, pod: Pod): Promise<Files> {
    const namespace = pod.metadata?.namespace ?? '';
    let data: Record<string, Buffer> | undefined;
    if (kind === 'configmap') {
      const cm = await this.o.sources.configMap(namespace, name);
      data = cm && { ...Object.fromEntries(Object.entries(cm.binaryData ?? {}).map(([k, b]) => [k, Buffer.from(b, 'base64')])), ...Object.fromEntries(Object.entries(cm.data ?? {}).map(([k, s]) => [k, Buffer.from(s)])) };
    } else {
      const secret = await this.o.sources.secret(namespace, name);
      data = secret && Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, b]) => [k, Buffer.from(b, 'base64')]));
    }
    const files: Files = new Map();
    if (!data) {
      if (optional) return files;
      throw new VolumeError(`${kind} "${name}" not found`);
    }
    if (!items?.length) {
      for (const [k, v] of Object.entries(data)) files.set(safeRelative(k, `${kind} ${name}`), { data: v, mode });
      return files;
    }
    for (const item of items) {
      const value = data[item.key];
      if (value === undefined) {
        if (optional) continue;
        throw new VolumeError(`${kind === 'configmap' ? 'configmap' : 'secret'} references non-existent ${kind === 'configmap' ? 'config' : 'secret'} key: ${item.key}`);
      }
      files.set(safeRelative(item.path, `${kind} ${name}`), { data: value, mode: item.mode ?? mode });
    }
    return files;
  }

  private async tokenFile(pod: Pod, source: ServiceAccountTokenProjection, mode: number): Promise<Files> {
    if (!this.o.tokens) throw new VolumeError('serviceAccountToken projections need the kubelet’s token manager');
    const meta = pod.metadata ?? {};
    const spec = {
      namespace: meta.namespace ?? '',
      serviceAccount: pod.spec?.serviceAccountName || 'default',
      audience: source.audience ?? '',
      expirationSeconds: source.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS,
      pod: { name: meta.name ?? '', uid: meta.uid ?? '' },
    };
    try {
      const token = await this.o.tokens.token(spec);
      return new Map([[safeRelative(source.path, 'serviceAccountToken'), { data: token, mode }]]);
    } catch (err) {
      throw new VolumeError(`failed to fetch token: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private downwardFiles(pod: Pod, items: readonly DownwardAPIVolumeFile[], mode: number, podIPs: readonly string[]): Files {
    const files: Files = new Map();
    const ctx = { ...this.o.env, podIPs };
    for (const item of items) {
      let value = '';
      if (item.fieldRef) {
        const path = item.fieldRef.fieldPath;
        const map = path === 'metadata.labels' ? pod.metadata?.labels : path === 'metadata.annotations' ? pod.metadata?.annotations : undefined;
        const single = map ? Object.keys(map).sort().map((k) => `${k}=${JSON.stringify(map[k])}`).join('\n') : fieldValue(pod, path, ctx);
        if (single === undefined) throw new VolumeError(`downwardAPI ${item.path}: unsupported fieldPath ${path}`);
        value = single;
      } else if (item.resourceFieldRef) {
        const container = pod.spec?.containers?.find((c) => c.name === item.resourceFieldRef!.containerName) ?? pod.spec?.containers?.[0];
        if (!container) throw new VolumeError(`downwardAPI ${item.path}: no container`);
        value = resourceFieldValue(pod, container, { ...item.resourceFieldRef, divisor: item.resourceFieldRef.divisor as string | undefined }, this.o.env.allocatable);
      }
      files.set(safeRelative(item.path, 'downwardAPI'), { data: value, mode: item.mode ?? mode });
    }
    return files;
  }
}

/** Writes the files of a volume into `dir` and (unless `prune` is false) removes the top-level entries no longer among them. */
function writeVolumeFiles(dir: string, files: Files, prune = true): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const top = new Set([...files.keys()].map((p) => p.split('/')[0]!));
  if (prune) for (const entry of readdirSync(dir)) if (!top.has(entry)) rmSync(join(dir, entry), { recursive: true, force: true });
  for (const [path, file] of files) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true, mode: 0o755 });
    // Replaced whole, so that a container reading it never sees half a file.
    const tmp = join(dirname(full), `..${process.pid}.tmp`);
    writeFileSync(tmp, file.data, { mode: file.mode });
    chmodSync(tmp, file.mode);
    if (existsSync(full) && statSync(full).isDirectory()) rmSync(full, { recursive: true, force: true });
    renameSync(tmp, full);
  }
}
