import type { ConfigMap, Container, Pod, Secret } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../api/index.js';
import { fieldValue } from './field-value.js';

/** Where the kubelet reads the ConfigMaps and Secrets a container's environment refers to; undefined: not found. */
export interface EnvSources {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
}

/** What the node knows that the environment may name. */
export interface EnvContext {
  readonly hostIP: string;
  readonly podIPs: readonly string[];
  /** The node's allocatable resources: a resourceFieldRef to an unset limit reads these. */
  readonly allocatable: Readonly<Record<string, string>>;
}

/** The container's configuration cannot be built (kubelet's CreateContainerConfigError). */
export class ContainerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

/** A C identifier, as upstream checks envFrom keys (IsEnvVarName is looser: letters, digits, `_`, `-`, `.`). */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * `$(VAR)` references replaced from `lookup` as upstream's expansion package does: `$$` is a literal `$`, an unknown
 * `$(VAR)` stays as written, a `$` before anything else is kept.
 */
export function expandEnv(text: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== '$' || i + 1 >= text.length) {
      out += ch;
      continue;
    }
    const next = text[i + 1]!;
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = text.indexOf(')', i + 2);
      if (close < 0) {
        out += text.slice(i);
        break;
      }
      const name = text.slice(i + 2, close);
      out += lookup(name) ?? `$(${name})`;
      i = close;
    } else {
      out += ch;
    }
  }
  return out;
}

/** A resourceFieldRef's value: the limit (or the node's allocatable when unset) or request, divided and rounded up. */
export function resourceFieldValue(pod: Pod, container: Container, ref: { resource: string; containerName?: string; divisor?: string }, allocatable: Readonly<Record<string, string>>): string {
  const target = ref.containerName ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === ref.containerName) : container;
  if (!target) throw new ContainerConfigError(`container ${ref.containerName ?? ''} not found`);
  const [kind, resource] = ref.resource.split(/\.(.*)/s) as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || !resource) throw new ContainerConfigError(`unsupported container resource: ${ref.resource}`);
  const set = (kind === 'limits' ? target.resources?.limits : target.resources?.requests)?.[resource];
  const raw = set ?? (kind === 'limits' ? allocatable[resource] : undefined) ?? '0';
  const value = Quantity.parse(String(raw));
  const divisor = Quantity.parse(ref.divisor ?? '1');
  if (divisor.isZero()) throw new ContainerConfigError(`invalid divisor for ${ref.resource}`);
  // ceil(value / divisor), on milli-units so that `1m` divisors and fractional CPUs stay exact.
  const n = value.milliValue();
  const d = divisor.milliValue();
  return String((n + d - 1n) / d);
}

/**
 * The environment of `container` (upstream's makeEnvironmentVariables): `envFrom` sources in order (keys prefixed,
 * invalid keys skipped), then `env` entries in order, whose values expand `$(VAR)` from what came before. A missing
 * ConfigMap, Secret or key that is not optional is a ContainerConfigError with upstream's message.
 */
export async function containerEnv(pod: Pod, container: Container, sources: EnvSources, ctx: EnvContext): Promise<{ key: string; value: string }[]> {
  const namespace = pod.metadata?.namespace ?? '';
  const env = new Map<string, string>();
  const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
  const cache = new Map<string, Record<string, string> | undefined>();
  /** A ConfigMap's or Secret's data as text; undefined when it is missing and optional. */
  const dataOf = async (kind: 'configmap' | 'secret', name: string, optional: boolean | undefined): Promise<Record<string, string> | undefined> => {
    const key = `${kind}/${name}`;
    if (!cache.has(key)) {
      if (kind === 'configmap') {
        const cm = await sources.configMap(namespace, name);
        cache.set(key, cm && { ...Object.fromEntries(Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, decode(v)])), ...cm.data });
      } else {
        const secret = await sources.secret(namespace, name);
        cache.set(key, secret && Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, decode(v)])));
      }
    }
    const data = cache.get(key);
    if (!data && !optional) throw new ContainerConfigError(`${kind} "${name}" not found`);
    return data;
  };

  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const data = ref ? await dataOf(from.configMapRef ? 'configmap' : 'secret', ref.name ?? '', ref.optional) : undefined;
    for (const [k, v] of Object.entries(data ?? {})) {
      const key = (from.prefix ?? '') + k;
      if (ENV_NAME.test(key)) env.set(key, v);
    }
  }

  for (const e of container.env ?? []) {
    const from = e.valueFrom;
    if (e.value !== undefined || !from) {
      env.set(e.name, expandEnv(e.value ?? '', (name) => env.get(name)));
    } else if (from.fieldRef) {
      const value = fieldValue(pod, from.fieldRef.fieldPath, ctx);
      if (value === undefined) throw new ContainerConfigError(`unsupported fieldPath: ${from.fieldRef.fieldPath}`);
      env.set(e.name, value);
    } else if (from.resourceFieldRef) {
      env.set(e.name, resourceFieldValue(pod, container, { ...from.resourceFieldRef, divisor: from.resourceFieldRef.divisor as string | undefined }, ctx.allocatable));
    } else {
      const ref = from.configMapKeyRef ?? from.secretKeyRef;
      if (!ref) continue;
      const kind = from.configMapKeyRef ? 'configmap' : 'secret';
      const data = await dataOf(kind, ref.name ?? '', ref.optional);
      const value = data?.[ref.key];
      if (value !== undefined) env.set(e.name, value);
      else if (data && !ref.optional) throw new ContainerConfigError(`couldn't find key ${ref.key} in ${kind === 'configmap' ? 'ConfigMap' : 'Secret'} ${namespace}/${ref.name ?? ''}`);
    }
  }
  return [...env].map(([key, value]) => ({ key, value }));
}
