import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { loadClientConfig } from '../client/index.js';
import { ControllerManager } from '../controllers/index.js';
import { realClock } from '../lib/index.js';
import { parseDuration } from './open-storage.js';
import { stopOnSignals } from './apiserver-command.js';
import { componentClient, leaderElectionOptions, withComponentClientFlags, withLeaderElectionFlags, type ComponentClientFlags, type LeaderElectionFlags } from './component-flags.js';

interface ControllerManagerFlags extends ComponentClientFlags, LeaderElectionFlags {
  controllers: string;
  concurrentReplicasetSyncs: string;
  nodeMonitorPeriod: string;
  nodeMonitorGracePeriod: string;
  terminatedPodGcThreshold: string;
  podGcCheckPeriod: string;
  podGcQuarantine: string;
  rootCaFile?: string;
}

/** --root-ca-file, else the CA the kubeconfig trusts for the API server. */
function rootCA(flags: ControllerManagerFlags): string | undefined {
  if (flags.rootCaFile) return readFileSync(flags.rootCaFile, 'utf8');
  const kubeconfig = flags.kubeconfig ?? process.env.KUBECONFIG;
  return kubeconfig ? loadClientConfig(kubeconfig).ca : undefined;
}

export function controllerManagerCommand(): Command {
  const cmd = new Command('controller-manager').description('run the controllers (kube-controller-manager) against an API server');
  return withLeaderElectionFlags(withComponentClientFlags(cmd, { qps: 20, burst: 30 }), 'run the controllers', 'kube-controller-manager')
    .option('--controllers <list>', '"*" for every on-by-default controller, "name" to enable, "-name" to disable', '*')
    .option('--concurrent-replicaset-syncs <n>', 'ReplicaSets synced at once', '5')
    .option('--node-monitor-period <duration>', 'how often the node lifecycle controller checks node health', '5s')
    .option('--node-monitor-grace-period <duration>', 'how long a node may go without heartbeats before it is marked Unknown', '50s')
    .option('--terminated-pod-gc-threshold <n>', 'finished Pods kept before the oldest are deleted (≤ 0: all kept)', '12500')
    .option('--root-ca-file <file>', 'the CA bundle published as kube-root-ca.crt in every namespace (default: the kubeconfig’s CA)')
    .addOption(new Option('--pod-gc-check-period <duration>', 'how often the Pod GC runs').default('20s').hideHelp())
    .addOption(new Option('--pod-gc-quarantine <duration>', 'how long a node must stay missing before its Pods are deleted').default('40s').hideHelp())
    .action(async (flags: ControllerManagerFlags) => {
      const client = componentClient(flags, 'kube-controller-manager');
      const signal = stopOnSignals();
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
        rootCA: rootCA(flags),
        ...leaderElectionOptions(flags),
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
