import type { ConfigMap, EndpointSubset, Endpoints, Namespace, Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../kube-object.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { timeSince } from './human-duration.js';
import type { PrintedRow, TableCell, TablePrinter } from './table-types.js';

/** A printer whose row is the name, the given cells, then the age. */
function simplePrinter(columns: TablePrinter['columns'], cells: (obj: KubeObject) => TableCell[]): TablePrinter {
  return {
    columns,
    print: (obj: KubeObject, now: number): PrintedRow => ({
      cells: [obj.metadata?.name ?? '', ...cells(obj), timeSince(obj.metadata?.creationTimestamp, now)],
    }),
  };
}

const keyCount = (map: unknown): number => (map !== null && typeof map === 'object' ? Object.keys(map).length : 0);

const namespacePrinter = simplePrinter(
  [nameColumn(), column('Status', 'string', 'The status of the namespace'), ageColumn()],
  (obj) => [(obj as Namespace).status?.phase ?? ''],
);

const configMapPrinter = simplePrinter(
  [
    nameColumn(),
    column(
      'Data',
      'string',
      "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
    ),
    ageColumn(),
  ],
  (obj) => [keyCount((obj as ConfigMap).data) + keyCount((obj as ConfigMap).binaryData)],
);

/** v1 → internal conversion folds stringData into data, so the count is of their union. */
function secretDataCount(secret: Secret): number {
  return new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]).size;
}

const secretPrinter = simplePrinter(
  [
    nameColumn(),
    column(
      'Type',
      'string',
      'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types',
    ),
    column(
      'Data',
      'string',
      "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
    ),
    ageColumn(),
  ],
  (obj) => [(obj as Secret).type ?? '', secretDataCount(obj as Secret)],
);

const serviceAccountPrinter = simplePrinter(
  [
    nameColumn(),
    column(
      'Secrets',
      'string',
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". The "kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret',
    ),
    ageColumn(),
  ],
  (obj) => [((obj as ServiceAccount).secrets ?? []).length],
);

const MAX_ENDPOINTS = 3;

const joinHostPort = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** formatEndpoints with every port: the first three `ip:port` pairs (bare IPs for port-less subsets), then a count. */
function formatEndpoints(subsets: readonly EndpointSubset[] | undefined): string {
  if (subsets === undefined || subsets === null || subsets.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  const take = (entries: readonly string[]): void => {
    count += entries.length;
    for (const e of entries) {
      if (list.length === MAX_ENDPOINTS) {
        more = true;
        break;
      }
      list.push(e);
    }
  };
  for (const ss of subsets) {
    const ips = (ss.addresses ?? []).map((a) => a.ip);
    if ((ss.ports ?? []).length === 0) take(ips);
    for (const port of ss.ports ?? []) take(ips.map((ip) => joinHostPort(ip, port.port)));
  }
  const joined = list.join(',');
  return more ? `${joined} + ${count - MAX_ENDPOINTS} more...` : joined;
}

const endpointsPrinter = simplePrinter(
  [
    nameColumn(),
    column(
      'Endpoints',
      'string',
      'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.',
    ),
    ageColumn(),
  ],
  (obj) => [formatEndpoints((obj as Endpoints).subsets)],
);

/** Printers for the core/v1 configuration and discovery kinds whose rows are name, a few counts or strings, age. */
export const configPrinters: Readonly<Record<string, TablePrinter>> = {
  Namespace: namespacePrinter,
  ConfigMap: configMapPrinter,
  Secret: secretPrinter,
  ServiceAccount: serviceAccountPrinter,
  Endpoints: endpointsPrinter,
};
