import { Command } from 'commander';
import { SKIFF_GIT_VERSION } from '../apiserver/index.js';
import { apiserverCommand } from './apiserver-command.js';
import { kubeconfigCommand } from './kubeconfig-command.js';

function notYet(name: string, what: string): Command {
  return new Command(name)
    .description(`${what} (not available yet)`)
    .allowUnknownOption()
    .action(() => {
      console.error(`skiff ${name}: ${what} is not part of this build yet. What works today: see README.md.`);
      process.exitCode = 2;
    });
}

/** Parses argv and runs the chosen subcommand. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('skiff')
    .description('A Kubernetes-compatible control plane')
    .version(SKIFF_GIT_VERSION, '--version', 'print the version');
  program.addCommand(notYet('server', 'the whole control plane in one process'));
  program.addCommand(apiserverCommand());
  program.addCommand(kubeconfigCommand());
  await program.parseAsync(argv);
}
