import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { buildKubeconfig, kubeconfigToYaml, parseKubeconfig } from '../api/index.js';
import { loadCertificateAuthority, pkiFiles, writeFileAtomic } from '../apiserver/index.js';

export interface KubeconfigCommandOptions {
  /** Where the kubeconfig goes without `-o`; standard output by default. */
  write?: (text: string) => void;
}

interface Flags {
  dataDir: string;
  user: string;
  group: string[];
  server?: string;
  days: number;
  output?: string;
}

/** `skiff kubeconfig`: mints a client certificate from the cluster CA and prints a kubeconfig for it. */
export function kubeconfigCommand(options: KubeconfigCommandOptions = {}): Command {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  return new Command('kubeconfig')
    .description('mint a client certificate signed by the cluster CA and print a kubeconfig that uses it')
    .requiredOption('--data-dir <dir>', 'the data directory of the API server')
    .requiredOption('--user <name>', 'user name (the certificate CN)')
    .option('--group <group>', 'group (a certificate O); repeat for more', (g: string, all: string[]) => [...all, g], [])
    .option('--server <url>', 'API server URL (default: the server in DIR/kubeconfig.yaml)')
    .option('--days <n>', 'days the certificate is valid', parseDays, 365)
    .option('-o, --output <file>', 'write the kubeconfig to FILE (mode 0600) instead of printing it')
    .action(async function (this: Command) {
      const flags = this.opts<Flags>();
      const ca = await loadCertificateAuthority({ dataDir: flags.dataDir });
      if (ca === undefined) this.error(`no CA in ${pkiFiles(flags.dataDir).dir}: start the API server with --data-dir ${flags.dataDir} first`);
      const server = flags.server ?? (await recordedServer(flags.dataDir));
      if (server === undefined) this.error(`no --server given and no ${join(flags.dataDir, 'kubeconfig.yaml')} to take it from`);
      const { certPem, keyPem } = await ca.mintClientCertificate({ user: flags.user, groups: flags.group, days: flags.days });
      const yaml = kubeconfigToYaml(buildKubeconfig({ server, caPem: ca.certPem, clientCertPem: certPem, clientKeyPem: keyPem, user: flags.user }));
      if (flags.output === undefined) write(yaml);
      else await writeFileAtomic(flags.output, yaml, 0o600);
    });
}

async function recordedServer(dataDir: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, 'kubeconfig.yaml'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return parseKubeconfig(text).cluster.server;
}

function parseDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days <= 0) throw new InvalidArgumentError('expected a positive whole number of days');
  return days;
}
