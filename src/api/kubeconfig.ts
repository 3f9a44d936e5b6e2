/**
 * Kubeconfig files as client-go's clientcmd reads them (`apiVersion: v1`, `kind: Config`): the types,
 * a builder for the single-cluster files Skiff hands out, and a reader for the current context.
 */
import { parse, stringify } from 'yaml';

export interface KubeconfigNamedExtension {
  name: string;
  extension: unknown;
}

export interface KubeconfigCluster {
  server: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'certificate-authority'?: string;
  /** Base64 of PEM certificates; overrides `certificate-authority`. */
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  extensions?: KubeconfigNamedExtension[];
}

export interface KubeconfigAuthProvider {
  name: string;
  config: Record<string, string>;
}

export interface KubeconfigExec {
  command: string;
  args?: string[];
  env?: { name: string; value: string }[];
  apiVersion?: string;
  installHint?: string;
  provideClusterInfo?: boolean;
  interactiveMode?: 'Never' | 'IfAvailable' | 'Always';
}

export interface KubeconfigAuthInfo {
  'client-certificate'?: string;
  /** Base64 of a PEM certificate; overrides `client-certificate`. */
  'client-certificate-data'?: string;
  'client-key'?: string;
  /** Base64 of a PEM private key; overrides `client-key`. */
  'client-key-data'?: string;
  token?: string;
  tokenFile?: string;
  as?: string;
  'as-uid'?: string;
  'as-groups'?: string[];
  'as-user-extra'?: Record<string, string[]>;
  username?: string;
  password?: string;
  'auth-provider'?: KubeconfigAuthProvider;
  exec?: KubeconfigExec;
  extensions?: KubeconfigNamedExtension[];
}

export interface KubeconfigContext {
  cluster: string;
  user: string;
  namespace?: string;
  extensions?: KubeconfigNamedExtension[];
}

export interface Kubeconfig {
  apiVersion: 'v1';
  kind: 'Config';
  preferences: { colors?: boolean; extensions?: KubeconfigNamedExtension[] };
  clusters: { name: string; cluster: KubeconfigCluster }[];
  users: { name: string; user: KubeconfigAuthInfo }[];
  contexts: { name: string; context: KubeconfigContext }[];
  'current-context': string;
  extensions?: KubeconfigNamedExtension[];
}

export interface BuildKubeconfigOptions {
  server: string;
  caPem: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  token?: string;
  /** The name of the user entry. */
  user: string;
  clusterName?: string;
  contextName?: string;
  namespace?: string;
}

export function buildKubeconfig(options: BuildKubeconfigOptions): Kubeconfig {
  const clusterName = options.clusterName ?? 'skiff';
  const contextName = options.contextName ?? 'skiff';
  const user: KubeconfigAuthInfo = {};
  if (options.clientCertPem !== undefined) user['client-certificate-data'] = encodeKubeconfigData(options.clientCertPem);
  if (options.clientKeyPem !== undefined) user['client-key-data'] = encodeKubeconfigData(options.clientKeyPem);
  if (options.token !== undefined) user.token = options.token;
  const context: KubeconfigContext = { cluster: clusterName, user: options.user };
  if (options.namespace !== undefined && options.namespace !== '') context.namespace = options.namespace;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: clusterName, cluster: { server: options.server, 'certificate-authority-data': encodeKubeconfigData(options.caPem) } }],
    users: [{ name: options.user, user }],
    contexts: [{ name: contextName, context }],
    'current-context': contextName,
  };
}

export function kubeconfigToYaml(config: Kubeconfig): string {
  return stringify(config, { lineWidth: 0 });
}

/** What a client needs from the current context; fields are raw, as written in the file. */
export interface KubeconfigCurrentContext {
  contextName: string;
  clusterName: string;
  userName: string;
  namespace?: string;
  cluster: KubeconfigCluster;
  user: KubeconfigAuthInfo;
}

/** Reads the current context; throws when the text is no kubeconfig or the context, cluster or user is missing. */
export function parseKubeconfig(text: string): KubeconfigCurrentContext {
  const doc: unknown = parse(text);
  if (!isRecord(doc)) throw new Error('kubeconfig: not a YAML mapping');
  const contextName = optionalString(doc['current-context'], 'current-context') ?? '';
  if (contextName === '') throw new Error('kubeconfig: current-context is not set');
  const context = findNamed(doc, 'contexts', 'context', contextName);
  const clusterName = requiredString(context.cluster, `context ${JSON.stringify(contextName)}: cluster`);
  const userName = optionalString(context.user, `context ${JSON.stringify(contextName)}: user`) ?? '';
  const cluster = findNamed(doc, 'clusters', 'cluster', clusterName);
  requiredString(cluster.server, `cluster ${JSON.stringify(clusterName)}: server`);
  const user = userName === '' ? {} : findNamed(doc, 'users', 'user', userName);
  const namespace = optionalString(context.namespace, `context ${JSON.stringify(contextName)}: namespace`);
  checkTypes(cluster, CLUSTER_STRING_FIELDS, `cluster ${JSON.stringify(clusterName)}`);
  checkTypes(user, USER_STRING_FIELDS, `user ${JSON.stringify(userName)}`);
  const result: KubeconfigCurrentContext = {
    contextName,
    clusterName,
    userName,
    cluster: cluster as unknown as KubeconfigCluster,
    user: user as KubeconfigAuthInfo,
  };
  if (namespace !== undefined && namespace !== '') result.namespace = namespace;
  return result;
}

export function encodeKubeconfigData(pem: string): string {
  return Buffer.from(pem, 'utf8').toString('base64');
}

/** Decodes a `*-data` field as Go's JSON decoding of []byte does: standard base64, line breaks ignored. */
export function decodeKubeconfigData(data: string, field = 'data'): string {
  const compact = data.replace(/[\r\n]/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw new Error(`kubeconfig: ${field} is not valid base64`);
  }
  return Buffer.from(compact, 'base64').toString('utf8');
}

const CLUSTER_STRING_FIELDS = ['server', 'tls-server-name', 'certificate-authority', 'certificate-authority-data', 'proxy-url'];
const USER_STRING_FIELDS = ['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token', 'tokenFile'];

function checkTypes(entry: Record<string, unknown>, stringFields: readonly string[], what: string): void {
  for (const field of stringFields) optionalString(entry[field], `${what}: ${field}`);
  const skip = entry['insecure-skip-tls-verify'];
  if (skip !== undefined && typeof skip !== 'boolean') throw new Error(`kubeconfig: ${what}: insecure-skip-tls-verify must be a boolean`);
}

function findNamed(doc: Record<string, unknown>, list: string, field: string, name: string): Record<string, unknown> {
  const entries = doc[list] ?? [];
  if (!Array.isArray(entries)) throw new Error(`kubeconfig: ${list} is not a list`);
  for (const entry of entries) {
    if (isRecord(entry) && entry.name === name) {
      const value = entry[field] ?? {};
      if (!isRecord(value)) throw new Error(`kubeconfig: ${field} ${JSON.stringify(name)} is not a mapping`);
      return value;
    }
  }
  throw new Error(`kubeconfig: ${field} ${JSON.stringify(name)} not found`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Error(`kubeconfig: ${what} must be a string`);
  return value;
}

function requiredString(value: unknown, what: string): string {
  const text = optionalString(value, what);
  if (text === undefined || text === '') throw new Error(`kubeconfig: ${what} is not set`);
  return text;
}
