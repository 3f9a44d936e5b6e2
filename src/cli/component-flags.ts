import type { Command } from 'commander';
import { Http2Transport, loadClientConfig, RestClient, TokenBucket } from '../client/index.js';
import { parseDuration } from './open-storage.js';
import { componentUserAgent } from './user-agent.js';

/** The flags every component that talks to the API server takes. */
export interface ComponentClientFlags {
  kubeconfig?: string;
  kubeApiQps: string;
  kubeApiBurst: string;
}

/** The leader-election flags of the controller-manager and the scheduler. */
export interface LeaderElectionFlags {
  leaderElect: boolean | string;
  leaderElectLeaseDuration: string;
  leaderElectRenewDeadline: string;
  leaderElectRetryPeriod: string;
}

/** Adds --kubeconfig, --kube-api-qps and --kube-api-burst (upstream's defaults differ per component). */
export function withComponentClientFlags(cmd: Command, defaults: { qps: number; burst: number }): Command {
  return cmd
    .option('--kubeconfig <file>', 'how to reach and authenticate to the API server (default: $KUBECONFIG)')
    .option('--kube-api-qps <n>', 'requests per second to the API server (0: no limit)', String(defaults.qps))
    .option('--kube-api-burst <n>', 'requests allowed in a burst above the QPS', String(defaults.burst));
}

/** Adds --leader-elect and its durations for the Lease kube-system/<lease>. */
export function withLeaderElectionFlags(cmd: Command, what: string, lease: string): Command {
  return cmd
    .option('--leader-elect [bool]', `${what} only while holding the Lease kube-system/${lease}`, false)
    .option('--leader-elect-lease-duration <duration>', 'how long candidates wait after the last renewal before taking over', '15s')
    .option('--leader-elect-renew-deadline <duration>', 'how long the leader tries to renew before giving up', '10s')
    .option('--leader-elect-retry-period <duration>', 'how often candidates try to acquire and the leader renews', '2s');
}

/** The leader-election options the flags ask for. */
export function leaderElectionOptions(flags: LeaderElectionFlags): { leaderElect: boolean; leaseDurationMs: number; renewDeadlineMs: number; retryPeriodMs: number } {
  return {
    leaderElect: flagBoolean(flags.leaderElect),
    leaseDurationMs: parseDuration(flags.leaderElectLeaseDuration),
    renewDeadlineMs: parseDuration(flags.leaderElectRenewDeadline),
    retryPeriodMs: parseDuration(flags.leaderElectRetryPeriod),
  };
}

/** The component's RestClient over HTTPS from --kubeconfig (or $KUBECONFIG), with its QPS/burst limit. */
export function componentClient(flags: ComponentClientFlags, component: string): RestClient {
  const kubeconfig = flags.kubeconfig ?? process.env.KUBECONFIG;
  if (!kubeconfig) throw new Error('--kubeconfig (or $KUBECONFIG) is required');
  return clientFromKubeconfig(kubeconfig, Number(flags.kubeApiQps), Number(flags.kubeApiBurst), componentUserAgent(component));
}

/** A RestClient from a kubeconfig file, with client-go's QPS/burst limit (qps ≤ 0: none). */
export function clientFromKubeconfig(path: string, qps: number, burst: number, userAgent: string): RestClient {
  const config = loadClientConfig(path);
  const transport = new Http2Transport({ ...config, userAgent });
  const rateLimiter = qps > 0 ? new TokenBucket({ qps, burst: Math.max(1, burst) }) : undefined;
  return new RestClient(transport, { rateLimiter, namespace: config.namespace, userAgent });
}

/** `--flag`, `--flag=true` and `--flag=false` as Go's boolean flags take them. */
export function flagBoolean(value: boolean | string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '') return true;
  if (value === 'false') return false;
  throw new Error(`invalid boolean ${JSON.stringify(value)}`);
}
