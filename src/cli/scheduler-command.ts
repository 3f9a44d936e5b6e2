import { Command } from 'commander';
import { realClock } from '../lib/index.js';
import { componentUserAgent } from './user-agent.js';
import { SchedulerServer } from '../scheduler/index.js';
import { stopOnSignals } from './apiserver-command.js';
import { clientFromKubeconfig, flagBoolean } from './controller-manager-command.js';
import { parseDuration } from './open-storage.js';

interface SchedulerFlags {
  kubeconfig?: string;
  leaderElect: boolean | string;
  leaderElectLeaseDuration: string;
  leaderElectRenewDeadline: string;
  leaderElectRetryPeriod: string;
  kubeApiQps: string;
  kubeApiBurst: string;
  schedulerName: string[];
}

export function schedulerCommand(): Command {
  return new Command('scheduler')
    .description('run the scheduler (kube-scheduler) against an API server')
    .option('--kubeconfig <file>', 'how to reach and authenticate to the API server (default: $KUBECONFIG)')
    .option('--leader-elect [bool]', 'schedule only while holding the Lease kube-system/kube-scheduler', false)
    .option('--leader-elect-lease-duration <duration>', 'how long candidates wait after the last renewal before taking over', '15s')
    .option('--leader-elect-renew-deadline <duration>', 'how long the leader tries to renew before giving up', '10s')
    .option('--leader-elect-retry-period <duration>', 'how often candidates try to acquire and the leader renews', '2s')
    .option('--kube-api-qps <n>', 'requests per second to the API server (0: no limit)', '50')
    .option('--kube-api-burst <n>', 'requests allowed in a burst above the QPS', '100')
    .option('--scheduler-name <name...>', 'the profiles: Pods whose spec.schedulerName is one of these', ['default-scheduler'])
    .action(async (flags: SchedulerFlags) => {
      const kubeconfig = flags.kubeconfig ?? process.env.KUBECONFIG;
      if (!kubeconfig) throw new Error('--kubeconfig (or $KUBECONFIG) is required');
      const signal = stopOnSignals();
      const client = clientFromKubeconfig(kubeconfig, Number(flags.kubeApiQps), Number(flags.kubeApiBurst), componentUserAgent('kube-scheduler'));
      const server = new SchedulerServer({
        client,
        clock: realClock,
        profiles: flags.schedulerName.map((schedulerName) => ({ schedulerName })),
        leaderElect: flagBoolean(flags.leaderElect),
        leaseDurationMs: parseDuration(flags.leaderElectLeaseDuration),
        renewDeadlineMs: parseDuration(flags.leaderElectRenewDeadline),
        retryPeriodMs: parseDuration(flags.leaderElectRetryPeriod),
        log: (m) => console.error(m),
      });
      console.log(`skiff scheduler: ${server.identity} starting`);
      const outcome = await server.run(signal);
      client.transport.close();
      if (outcome === 'lost-leadership') {
        console.error('leaderelection lost');
        process.exit(1);
      }
    });
}
