import { readFileSync } from 'node:fs';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../api/index.js';
import type { ContainerConfig, DnsConfig, LinuxSandboxConfig, NamespaceOptions, PodSandboxConfig, PortMapping } from './runtime/index.js';

// What upstream's kuberuntime puts into a PodSandboxConfig and a ContainerConfig beyond names and the command
// (kuberuntime_sandbox.go, kuberuntime_container_linux.go, dns.go, qos/policy.go): DNS, port mappings, namespaces,
// security context and resources as Linux limits. Runtimes that do not isolate Pods ignore all of it.

const CPU_PERIOD = 100_000;
const MIN_SHARES = 2;
const MIN_QUOTA = 1000;

/** The host's resolv.conf: the DNS of Pods under the Default policy (and ClusterFirst, with no cluster DNS here). */
export function parseResolvConf(text: string): DnsConfig {
  const dns: DnsConfig = { servers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const [key, ...values] = line.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (key === 'nameserver' && values[0]) dns.servers.push(values[0]);
    else if (key === 'search') dns.searches = values;
    else if (key === 'options') dns.options.push(...values);
  }
  return dns;
}

let hostDns: DnsConfig | undefined;
function readHostDns(): DnsConfig {
  try {
    hostDns ??= parseResolvConf(readFileSync('/etc/resolv.conf', 'utf8'));
  } catch {
    hostDns = { servers: [], searches: [], options: [] };
  }
  return hostDns;
}

const unique = (xs: string[]) => [...new Set(xs)];

/** The Pod's DNS: the host's (no cluster DNS is configured) unless dnsPolicy is None, plus spec.dnsConfig. */
export function podDns(pod: Pod, host: DnsConfig = readHostDns()): DnsConfig {
  const base = pod.spec?.dnsPolicy === 'None' ? { servers: [], searches: [], options: [] } : host;
  const extra = pod.spec?.dnsConfig;
  const options = new Map(base.options.map((o) => [o.split(':')[0]!, o]));
  for (const o of extra?.options ?? []) options.set(o.name ?? '', o.value === undefined ? (o.name ?? '') : `${o.name ?? ''}:${o.value}`);
  return { servers: unique([...base.servers, ...(extra?.nameservers ?? [])]), searches: unique([...base.searches, ...(extra?.searches ?? [])]), options: [...options.values()] };
}

function namespaces(pod: Pod): NamespaceOptions {
  const spec = pod.spec;
  return {
    network: spec?.hostNetwork ? 'NODE' : 'POD',
    pid: spec?.hostPID ? 'NODE' : spec?.shareProcessNamespace ? 'POD' : 'CONTAINER',
    ipc: spec?.hostIPC ? 'NODE' : 'POD',
  };
}

/** The sandbox part of the Pod spec (hostname is none with hostNetwork). */
export function sandboxSpec(pod: Pod): Partial<PodSandboxConfig> {
  const spec = pod.spec;
  const sc = spec?.securityContext;
  const containers = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  const portMappings: PortMapping[] = (spec?.containers ?? []).flatMap((c) =>
    (c.ports ?? []).map((p) => ({ protocol: (p.protocol ?? 'TCP') as PortMapping['protocol'], containerPort: p.containerPort, ...(p.hostPort ? { hostPort: p.hostPort } : {}), ...(p.hostIP ? { hostIp: p.hostIP } : {}) })),
  );
  const linux: LinuxSandboxConfig = {
    namespaceOptions: namespaces(pod),
    ...(sc?.runAsUser !== undefined ? { runAsUser: sc.runAsUser } : {}),
    ...(sc?.runAsGroup !== undefined ? { runAsGroup: sc.runAsGroup } : {}),
    supplementalGroups: [...(sc?.supplementalGroups ?? []), ...(sc?.fsGroup !== undefined ? [sc.fsGroup] : [])],
    privileged: containers.some((c) => c.securityContext?.privileged === true),
    sysctls: Object.fromEntries((sc?.sysctls ?? []).map((s) => [s.name, s.value])),
  };
  return { ...(spec?.hostNetwork ? { hostname: undefined } : {}), dnsConfig: podDns(pod), portMappings, linux };
}

const milli = (q: string | undefined) => (q === undefined ? undefined : Number(Quantity.parse(q).milliValue()));
const bytes = (q: string | undefined) => (q === undefined ? undefined : Number(Quantity.parse(q).value()));

/** Upstream's QoS class: Guaranteed (limits = requests for cpu and memory everywhere), BestEffort (none), Burstable. */
export function qosClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const requests = { ...c.resources?.limits, ...c.resources?.requests };
    const limits = c.resources?.limits ?? {};
    if (Object.keys(requests).length + Object.keys(limits).length > 0) any = true;
    for (const r of ['cpu', 'memory']) {
      if (limits[r] === undefined || Quantity.parse(limits[r]).cmp(Quantity.parse(requests[r] ?? limits[r])) !== 0) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** The container part: resources as Linux limits (shares, CFS quota, memory, oom_score_adj by QoS) and security. */
export function containerSpec(pod: Pod, c: Container, nodeMemoryBytes: number): Partial<ContainerConfig> {
  const requests = { ...c.resources?.limits, ...c.resources?.requests };
  const cpuRequest = milli(requests.cpu);
  const cpuLimit = milli(c.resources?.limits?.cpu);
  const memoryLimit = bytes(c.resources?.limits?.memory);
  const qos = qosClass(pod);
  let oomScoreAdj = qos === 'Guaranteed' ? -997 : 1000;
  if (qos === 'Burstable') {
    const request = bytes(requests.memory) ?? 0;
    oomScoreAdj = Math.min(999, Math.max(2, 1000 - Math.floor((1000 * request) / Math.max(1, nodeMemoryBytes))));
  }
  const sc = c.securityContext;
  const psc = pod.spec?.securityContext;
  const runAsUser = sc?.runAsUser ?? psc?.runAsUser;
  const runAsGroup = sc?.runAsGroup ?? psc?.runAsGroup;
  return {
    stdin: c.stdin ?? false,
    stdinOnce: c.stdinOnce ?? false,
    tty: c.tty ?? false,
    linux: {
      resources: {
        cpuShares: cpuRequest === undefined ? MIN_SHARES : Math.max(MIN_SHARES, Math.floor((cpuRequest * 1024) / 1000)),
        ...(cpuLimit !== undefined ? { cpuPeriod: CPU_PERIOD, cpuQuota: Math.max(MIN_QUOTA, Math.floor((cpuLimit * CPU_PERIOD) / 1000)) } : {}),
        ...(memoryLimit !== undefined ? { memoryLimitInBytes: memoryLimit } : {}),
        oomScoreAdj,
      },
      securityContext: {
        privileged: sc?.privileged ?? false,
        namespaceOptions: namespaces(pod),
        ...(runAsUser !== undefined ? { runAsUser } : {}),
        ...(runAsGroup !== undefined ? { runAsGroup } : {}),
        readonlyRootfs: sc?.readOnlyRootFilesystem ?? false,
        noNewPrivs: sc?.allowPrivilegeEscalation === false,
        ...(sc?.capabilities ? { capabilities: { addCapabilities: sc.capabilities.add ?? [], dropCapabilities: sc.capabilities.drop ?? [] } } : {}),
      },
    },
  };
}
