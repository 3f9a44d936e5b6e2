import type { RestClient } from '../src/client/index.js';

/**
 * Creates a namespace and waits (bounded) for its `default` ServiceAccount, without which Pods are refused (the
 * ServiceAccount admission plugin), as a user's namespace has long had it by the time they create Pods in it.
 */
export async function createNamespace(client: RestClient, name: string): Promise<void> {
  await client.kind('v1', 'Namespace').create('', { metadata: { name } });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const accounts = await client.kind('v1', 'ServiceAccount').list(name);
    if (accounts.items.some((a) => a.metadata?.name === 'default')) return;
    if (Date.now() > deadline) throw new Error(`no default ServiceAccount in ${name} after 30 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Creates a namespace and its `default` ServiceAccount itself: for benchmarks that run no controller-manager (whose
 * ServiceAccount controller would otherwise create it), so that Pods pass the ServiceAccount admission plugin.
 */
export async function createNamespaceAndAccount(client: RestClient, name: string): Promise<void> {
  await client.kind('v1', 'Namespace').create('', { metadata: { name } });
  await client.kind('v1', 'ServiceAccount').create(name, { metadata: { name: 'default' } });
}
