import { Command } from 'commander';
import { SKIFF_GIT_VERSION } from '../apiserver/index.js';
import { apiserverCommand, serverCommand } from './apiserver-command.js';
import { controllerManagerCommand } from './controller-manager-command.js';
import { kubeconfigCommand } from './kubeconfig-command.js';
import { kubeletCommand } from './kubelet-command.js';
import { schedulerCommand } from './scheduler-command.js';
import { traceCommand } from './trace-command.js';

/** Parses argv and runs the chosen subcommand. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('skiff')
    .description('A Kubernetes-compatible control plane')
    .version(SKIFF_GIT_VERSION, '--version', 'print the version');
  program.addCommand(serverCommand());
  program.addCommand(apiserverCommand());
  program.addCommand(controllerManagerCommand());
  program.addCommand(kubeconfigCommand());
  program.addCommand(kubeletCommand());
  program.addCommand(schedulerCommand());
  program.addCommand(traceCommand());
  await program.parseAsync(argv);
}
