import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildKubeconfig, kubeconfigToYaml } from '../../api/index.js';
import { SYSTEM_MASTERS, type Pki } from './ensure-pki.js';
import { ensurePrivateDir, writeFileAtomic } from './private-files.js';

export interface WriteComponentKubeconfigsOptions {
  dataDir: string;
  pki: Pki;
  /** The API server's URL, e.g. `https://127.0.0.1:6443`. */
  server: string;
  /** Which files to write (default both): the server writes the admin one only once it is ready. */
  only?: 'admin' | 'components';
}

/** Paths of the kubeconfigs written. */
export interface ComponentKubeconfigs {
  admin: string;
  controllerManager: string;
  scheduler: string;
}

interface Component {
  path: string;
  user: string;
  groups: string[];
}

/**
 * Writes DIR/kubeconfig.yaml for an administrator and DIR/kubeconfigs/* for the control-plane
 * components, each with a newly minted client certificate; rewritten on every start because the
 * server's address may change (`--port 0`).
 */
export async function writeComponentKubeconfigs(options: WriteComponentKubeconfigsOptions): Promise<ComponentKubeconfigs> {
  const componentDir = join(options.dataDir, 'kubeconfigs');
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  await ensurePrivateDir(componentDir);
  const paths: ComponentKubeconfigs = {
    admin: join(options.dataDir, 'kubeconfig.yaml'),
    controllerManager: join(componentDir, 'controller-manager.yaml'),
    scheduler: join(componentDir, 'scheduler.yaml'),
  };
  const components: Component[] = [
    { path: paths.admin, user: 'admin', groups: [SYSTEM_MASTERS] },
    { path: paths.controllerManager, user: 'system:kube-controller-manager', groups: [] },
    { path: paths.scheduler, user: 'system:kube-scheduler', groups: [] },
  ];
  for (const component of components) {
    if (options.only === 'admin' && component.path !== paths.admin) continue;
    if (options.only === 'components' && component.path === paths.admin) continue;
    const { certPem, keyPem } = await options.pki.mintClientCertificate({ user: component.user, groups: component.groups });
    const config = buildKubeconfig({
      server: options.server,
      caPem: options.pki.caCertPem,
      clientCertPem: certPem,
      clientKeyPem: keyPem,
      user: component.user,
    });
    await writeFileAtomic(component.path, kubeconfigToYaml(config));
  }
  return paths;
}
