import { Command } from 'commander';
import { realClock } from '../lib/index.js';
import { SchedulerServer } from '../scheduler/index.js';
import { stopOnSignals } from './apiserver-command.js';
import { componentClient, leaderElectionOptions, withComponentClientFlags, withLeaderElectionFlags, type ComponentClientFlags, type LeaderElectionFlags } from './component-flags.js';

interface SchedulerFlags extends ComponentClientFlags, LeaderElectionFlags {
  schedulerName: string[];
}

export function schedulerCommand(): Command {
  const cmd = new Command('scheduler').description('run the scheduler (kube-scheduler) against an API server');
  return withLeaderElectionFlags(withComponentClientFlags(cmd, { qps: 50, burst: 100 }), 'schedule', 'kube-scheduler')
    .option('--scheduler-name <name...>', 'the profiles: Pods whose spec.schedulerName is one of these', ['default-scheduler'])
    .action(async (flags: SchedulerFlags) => {
      const client = componentClient(flags, 'kube-scheduler');
      const signal = stopOnSignals();
      const server = new SchedulerServer({
        client,
        clock: realClock,
        profiles: flags.schedulerName.map((schedulerName) => ({ schedulerName })),
        ...leaderElectionOptions(flags),
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
