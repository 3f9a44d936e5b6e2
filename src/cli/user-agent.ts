import { SKIFF_GIT_VERSION } from '../apiserver/index.js';

/** A component's User-Agent as upstream's components send it (`kube-scheduler/v1.32.0 (linux/amd64) …`). */
export function componentUserAgent(component: string): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return `${component}/${SKIFF_GIT_VERSION} (${process.platform}/${arch}) skiff`;
}
