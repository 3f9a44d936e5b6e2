import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { decodeKubeconfigData, parseKubeconfig } from '../api/index.js';
import type { Http2TransportOptions } from './http2-transport.js';

/** What a client needs to reach and authenticate to an API server, from a kubeconfig's current context. */
export interface ClientConfig extends Http2TransportOptions {
  readonly namespace: string;
}

/**
 * Reads a kubeconfig as clientcmd does for the fields Skiff's clients use: server, CA (file or data), client
 * certificate and key (files or data), bearer token (tokenFile, else inline), tls-server-name, insecure-skip-tls-verify
 * and the context's namespace. Relative file paths are resolved against the kubeconfig's directory.
 */
export function loadClientConfig(path: string): ClientConfig {
  const ctx = parseKubeconfig(readFileSync(path, 'utf8'));
  const base = dirname(resolve(path));
  const file = (p: string) => readFileSync(isAbsolute(p) ? p : resolve(base, p), 'utf8');
  const { cluster, user } = ctx;
  const pick = (data: string | undefined, filePath: string | undefined, field: string) =>
    data ? decodeKubeconfigData(data, field) : filePath ? file(filePath) : undefined;
  // As client-go: a tokenFile's content takes precedence over an inline token.
  const token = user.tokenFile ? file(user.tokenFile).trim() : user.token || undefined;
  return {
    server: cluster.server,
    ca: pick(cluster['certificate-authority-data'], cluster['certificate-authority'], 'certificate-authority-data'),
    cert: pick(user['client-certificate-data'], user['client-certificate'], 'client-certificate-data'),
    key: pick(user['client-key-data'], user['client-key'], 'client-key-data'),
    token,
    tlsServerName: cluster['tls-server-name'],
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] ?? false,
    namespace: ctx.namespace ?? 'default',
  };
}
