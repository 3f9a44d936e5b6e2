// A real `skiff apiserver` process on one storage backend, with an admin HTTPS client, for API end-to-end tests.
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { etcdSkipReason, startEtcd, type EtcdServer } from './etcd-server.js';
import { HttpsClient } from './https-client.js';
import { startApiserver, type SkiffProcess } from './skiff-process.js';

export const BACKENDS = ['sqlite', 'etcd'] as const;
export type Backend = (typeof BACKENDS)[number];

/** Why the tests of a backend are skipped (etcd without a binary and without REQUIRE_ETCD=1). */
export function backendSkipReason(backend: Backend): string | undefined {
  return backend === 'etcd' ? etcdSkipReason() : undefined;
}

export interface ApiCluster {
  readonly backend: Backend;
  readonly server: SkiffProcess;
  readonly etcd: EtcdServer | undefined;
  /** Authenticated as the admin of the server's kubeconfig. */
  readonly admin: HttpsClient;
  /** Keys under `prefix` in etcd (etcd backend only), via etcdctl. */
  etcdKeys(prefix: string): string[];
  /** Stops the apiserver (and etcd, unless it was shared). */
  stop(): Promise<void>;
}

/** Starts `skiff apiserver` with `args` on `backend` (a fresh etcd unless `sharedEtcd` is given) and waits until ready. */
export async function startApiCluster(backend: Backend, args: readonly string[] = [], sharedEtcd?: EtcdServer): Promise<ApiCluster> {
  const etcd = backend === 'etcd' ? (sharedEtcd ?? (await startEtcd())) : undefined;
  let server: SkiffProcess;
  try {
    server = await startApiserver({ storage: backend, etcdEndpoint: etcd?.endpoint, args });
  } catch (err) {
    if (!sharedEtcd) await etcd?.stop();
    throw err;
  }
  const admin = HttpsClient.fromKubeconfig(server.kubeconfig);
  await waitReady(admin);
  return {
    backend,
    server,
    etcd,
    admin,
    etcdKeys(prefix) {
      assert.ok(etcd, 'etcdKeys needs the etcd backend');
      const out = execFileSync('etcdctl', ['--endpoints', etcd.endpoint, 'get', '--prefix', prefix, '--keys-only'], {
        env: { ...process.env, ETCDCTL_API: '3' },
      }).toString();
      return out.split('\n').filter((l) => l.trim() !== '');
    },
    async stop() {
      admin.close();
      await server.stop();
      if (!sharedEtcd) await etcd?.stop();
    },
  };
}

/** Waits (bounded) until /readyz answers 200: the watch caches are synced and the default namespaces exist. */
async function waitReady(client: HttpsClient, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const res = await client.get('/readyz');
    if (res.status === 200) return;
    last = `${res.status} ${res.body}`;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the apiserver was not ready within ${timeoutMs} ms: ${last}`);
}

/** Asserts that every response the client received carried an Audit-Id header. */
export function assertAuditIds(client: HttpsClient): void {
  const missing = client.responses.filter((r) => !r.auditId || !/^[0-9a-f-]{36}$/.test(r.auditId));
  assert.deepEqual(missing, [], 'every response has an Audit-Id header');
}

/** A short random suffix for names that must not collide between tests. */
export function uniqueSuffix(): string {
  return Math.random().toString(36).slice(2, 8);
}
