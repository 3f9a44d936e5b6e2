import { Command, Option } from 'commander';
import { Http2Transport, loadClientConfig, RestClient, TokenBucket } from '../client/index.js';
import { componentUserAgent } from './user-agent.js';
import { ControllerManager } from '../controllers/index.js';
import { realClock } from '../lib/index.js';
import { parseDuration } from './open-storage.js';
import { stopOnSignals } from './apiserver-command.js';

interface ControllerManagerFlags {
  kubeconfig?: string;
  leaderElect: boolean | string;
  leaderElectLeaseDuration: string;
  leaderElectRenewDeadline: string;
  leaderElectRetryPeriod: string;
  controllers: string;
  kubeApiQps: string;
  kubeApiBurst: string;
  concurrentReplicasetSyncs: string;
  nodeMonitorPeriod: string;
  nodeMonitorGracePeriod: string;
  terminatedPodGcThreshold: string;
  podGcCheckPeriod: string;
  podGcQuarantine: string;
}

/** A RestClient from a kubeconfig file, with client-go's QPS/burst limit (qps ≤ 0: none). */
export function clientFromKubeconfig(path: string, qps: number, burst: number, userAgent: string): RestClient {
  const config = loadClientConfig(path);
  const transport = new Http2Transport({ ...config, userAgent });
  const rateLimiter = qps > 0 ? new TokenBucket({ qps, burst: Math.max(1, burst) }) : undefined;
  return new RestClient(transport, { rateLimiter, namespace: config.namespace, userAgent });
}

/** `--flag`, `--flag=true` and `--flag=false` as Go's boolean flags take them. */
export function flagBoolean(value: boolean | string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '') return true;
  if (value === 'false') return false;
  throw new Error(`invalid boolean ${JSON.stringify(value)}`);
}

export function controllerManagerCommand(): Command {
  return new Command('controller-manager')
    .description('run the controllers (kube-controller-manager) against an API server')
    .option('--kubeconfig <file>', 'how to reach and authenticate to the API server (default: $KUBECONFIG)')
    .option('--leader-elect [bool]', 'run the controllers only while holding the Lease kube-system/kube-controller-manager', false)
    .option('--leader-elect-lease-duration <duration>', 'how long candidates wait after the last renewal before taking over', '15s')
    .option('--leader-elect-renew-deadline <duration>', 'how long the leader tries to renew before giving up', '10s')
    .option('--leader-elect-retry-period <duration>', 'how often candidates try to acquire and the leader renews', '2s')
    .option('--controllers <list>', '"*" for every on-by-default controller, "name" to enable, "-name" to disable', '*')
    .option('--kube-api-qps <n>', 'requests per second to the API server (0: no limit)', '20')
    .option('--kube-api-burst <n>', 'requests allowed in a burst above the QPS', '30')
    .option('--concurrent-replicaset-syncs <n>', 'ReplicaSets synced at once', '5')
    .option('--node-monitor-period <duration>', 'how often the node lifecycle controller checks node health', '5s')
    .option('--node-monitor-grace-period <duration>', 'how long a node may go without heartbeats before it is marked Unknown', '50s')
    .option('--terminated-pod-gc-threshold <n>', 'finished Pods kept before the oldest are deleted (≤ 0: all kept)', '12500')
    .addOption(new Option('--pod-gc-check-period <duration>', 'how often the Pod GC runs').default('20s').hideHelp())
    .addOption(new Option('--pod-gc-quarantine <duration>', 'how long a node must stay missing before its Pods are deleted').default('40s').hideHelp())
    .action(async (flags: ControllerManagerFlags) => {
      const kubeconfig = flags.kubeconfig ?? process.env.KUBECONFIG;
      if (!kubeconfig) throw new Error('--kubeconfig (or $KUBECONFIG) is required');
      const signal = stopOnSignals();
      const client = clientFromKubeconfig(kubeconfig, Number(flags.kubeApiQps), Number(flags.kubeApiBurst), componentUserAgent('kube-controller-manager'));
      const manager = new ControllerManager({
        client,
        clock: realClock,
        controllers: flags.controllers.split(',').map((s) => s.trim()).filter((s) => s !== ''),
        workers: { replicaset: Number(flags.concurrentReplicasetSyncs) },
        nodeMonitorPeriodMs: parseDuration(flags.nodeMonitorPeriod),
        nodeMonitorGracePeriodMs: parseDuration(flags.nodeMonitorGracePeriod),
        terminatedPodGCThreshold: Number(flags.terminatedPodGcThreshold),
        podGCCheckPeriodMs: parseDuration(flags.podGcCheckPeriod),
        podGCQuarantineMs: parseDuration(flags.podGcQuarantine),
        leaderElect: flagBoolean(flags.leaderElect),
        leaseDurationMs: parseDuration(flags.leaderElectLeaseDuration),
        renewDeadlineMs: parseDuration(flags.leaderElectRenewDeadline),
        retryPeriodMs: parseDuration(flags.leaderElectRetryPeriod),
        log: (m) => console.error(m),
      });
      console.log(`skiff controller-manager: ${manager.identity} starting`);
      const outcome = await manager.run(signal);
      client.transport.close();
      if (outcome === 'lost-leadership') {
        console.error('leaderelection lost');
        process.exit(1);
      }
    });
}
