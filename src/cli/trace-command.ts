import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { TRACE_GROUP, TRACE_VERSION, type Trace } from '../apiserver/index.js';
import { ApiError, allKinds, type KindInfo } from '../api/index.js';
import { Http2Transport, loadClientConfig, RestClient } from '../client/index.js';
import { renderTimeline } from './trace-timeline.js';
import { componentUserAgent } from './user-agent.js';

interface TraceFlags {
  namespace?: string;
  output: 'text' | 'json';
  kubeconfig?: string;
}

/** KIND as kubectl takes it (`rs`, `replicaset`, `replicasets`, `replicasets.apps`, `ReplicaSet`) → the served kind. */
export function resolveKind(word: string): KindInfo | undefined {
  const w = word.toLowerCase();
  const [resource, ...group] = w.split('.');
  const g = group.join('.');
  return allKinds().find(
    (k) =>
      (g === '' || k.group === g) &&
      (k.resource === resource || k.singular === resource || k.kind.toLowerCase() === resource || k.shortNames.includes(resource ?? '')),
  );
}

/** The kubeconfig `skiff trace` uses: --kubeconfig, then $KUBECONFIG, then .skiff/kubeconfig.yaml. */
export function traceKubeconfig(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag;
  const first = env.KUBECONFIG?.split(':').find((p) => p !== '');
  return first ?? '.skiff/kubeconfig.yaml';
}

async function getTrace(client: RestClient, namespace: string, resource: string, name: string): Promise<Trace | undefined> {
  const ns = namespace === '' ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  try {
    return await client.json<Trace>({ method: 'GET', url: `/apis/${TRACE_GROUP}/${TRACE_VERSION}${ns}/traces/${encodeURIComponent(`${resource}.${name}`)}` });
  } catch (err) {
    if (err instanceof ApiError && err.status.code === 404) return undefined;
    throw err;
  }
}

interface OwnedPod {
  metadata?: { name?: string; ownerReferences?: { uid?: string }[] };
}

/** Fetches the object's Trace and those of the Pods it controls (by ownerReferences uid, live and from the audit ring). */
export async function collectTraces(client: RestClient, kind: KindInfo, namespace: string, name: string): Promise<{ owner: Trace; pods: Map<string, Trace> } | undefined> {
  const ns = kind.namespaced ? namespace : '';
  const owner = await getTrace(client, ns, kind.resource, name);
  if (!owner) return undefined;
  const pods = new Map<string, Trace>();
  if (kind.resource === 'pods') return { owner, pods };
  const names = new Set(owner.dependents.filter((d) => d.resource === 'pods').map((d) => d.name));
  const uid = owner.subject.uid ?? (await liveUid(client, kind, ns, name));
  if (uid !== undefined && kind.namespaced) {
    const live = await client.json<{ items: OwnedPod[] }>({ method: 'GET', url: `/api/v1/namespaces/${encodeURIComponent(ns)}/pods` });
    for (const p of live.items) if (p.metadata?.name && p.metadata.ownerReferences?.some((r) => r.uid === uid)) names.add(p.metadata.name);
  }
  for (const pod of [...names].sort()) {
    const t = await getTrace(client, ns, 'pods', pod);
    if (t) pods.set(pod, t);
  }
  return { owner, pods };
}

async function liveUid(client: RestClient, kind: KindInfo, namespace: string, name: string): Promise<string | undefined> {
  try {
    const obj = await client.resource<{ metadata?: { uid?: string } }>(kind).get(namespace, name);
    return obj.metadata?.uid;
  } catch (err) {
    if (err instanceof ApiError && err.status.code === 404) return undefined;
    throw err;
  }
}

export function traceCommand(): Command {
  return new Command('trace')
    .description('show how an object went through the control plane: every hop of the flow with its time and latency')
    .argument('<kind/name>', 'the object, e.g. rs/my-replicaset')
    .option('-n, --namespace <ns>', 'its namespace (default: the kubeconfig\'s, else default)')
    .addOption(new Option('-o, --output <format>', 'text or json (the TraceRecords)').choices(['text', 'json']).default('text'))
    .option('--kubeconfig <file>', 'how to reach the API server (default: $KUBECONFIG, then .skiff/kubeconfig.yaml)')
    .action(async (target: string, flags: TraceFlags) => {
      const slash = target.indexOf('/');
      const kind = slash > 0 ? resolveKind(target.slice(0, slash)) : undefined;
      const name = target.slice(slash + 1);
      if (!kind || name === '') {
        console.error(`skiff trace: expected KIND/NAME of a served kind, e.g. rs/my-replicaset; got ${JSON.stringify(target)}`);
        process.exitCode = 2;
        return;
      }
      const path = traceKubeconfig(flags.kubeconfig);
      if (!existsSync(path)) {
        console.error(`skiff trace: no kubeconfig at ${path} (is skiff server running? pass --kubeconfig or set KUBECONFIG)`);
        process.exitCode = 1;
        return;
      }
      const config = loadClientConfig(path);
      const userAgent = componentUserAgent('skiff-trace');
      const transport = new Http2Transport({ ...config, userAgent });
      try {
        const client = new RestClient(transport, { userAgent, namespace: config.namespace });
        const namespace = flags.namespace ?? config.namespace ?? 'default';
        const found = await collectTraces(client, kind, namespace, name);
        if (!found) {
          console.error(`skiff trace: the API server holds no records of ${kind.resource}/${name}${kind.namespaced ? ` in namespace ${namespace}` : ''}`);
          process.exitCode = 1;
          return;
        }
        if (flags.output === 'json') {
          process.stdout.write(`${JSON.stringify({ kind: 'List', apiVersion: 'v1', items: [found.owner, ...found.pods.values()] }, null, 2)}\n`);
        } else {
          process.stdout.write(renderTimeline(found.owner, found.pods));
        }
      } catch (err) {
        console.error(`skiff trace: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 1;
      } finally {
        transport.close();
      }
    });
}
