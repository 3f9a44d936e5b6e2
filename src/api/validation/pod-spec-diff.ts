/**
 * The diff that follows upstream's "pod updates may not change fields" message. Upstream prints
 * go-cmp's Diff of the internal PodSpec, whose exact text go-cmp keeps deliberately unstable;
 * this renders the changed top-level fields in the same style.
 */
import { goQuote } from '../go-format.js';
import { semanticEqual, type JsonObject } from './validation-util.js';

const GO_NAMES: Readonly<Record<string, string>> = {
  dnsPolicy: 'DNSPolicy',
  hostPID: 'HostPID',
  hostIPC: 'HostIPC',
  dnsConfig: 'DNSConfig',
  os: 'OS',
  setHostnameAsFQDN: 'SetHostnameAsFQDN',
};

function goName(key: string): string {
  return GO_NAMES[key] ?? `${key.charAt(0).toUpperCase()}${key.slice(1)}`;
}

function goValue(value: unknown): string {
  if (value === undefined || value === null) return 'nil';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? `[]{...}` : '{...}';
}

export function podSpecDiff(oldSpec: JsonObject, newSpec: JsonObject): string {
  const keys = [...new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])];
  const lines = ['  core.PodSpec{'];
  for (const key of keys) {
    if (semanticEqual(oldSpec[key], newSpec[key])) continue;
    lines.push(`- \t${goName(key)}: ${goValue(oldSpec[key])},`);
    lines.push(`+ \t${goName(key)}: ${goValue(newSpec[key])},`);
  }
  lines.push('  }');
  return `${lines.join('\n')}\n`;
}
