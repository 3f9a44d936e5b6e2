import { ApiError, type FieldError } from '../../api/index.js';

/** upstream's --service-cluster-ip-range and --service-node-port-range defaults. */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_NODE_PORT_RANGE = '30000-32767';

function ipToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

const numberToIp = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

function invalid(field: string, value: unknown, detail: string): ApiError {
  const error: FieldError = { type: 'FieldValueInvalid', field, badValue: value, detail };
  return ApiError.invalid({ group: '', kind: 'Service' }, '', [error]);
}

/**
 * Service ClusterIPs from an IPv4 range, as upstream's allocator hands them out: the network and broadcast
 * addresses are never used, the first usable one is the `kubernetes` Service's, the rest are picked at random.
 */
export class ClusterIPAllocator {
  private readonly base: number;
  private readonly size: number;
  private readonly used = new Set<number>();

  constructor(readonly cidr: string = DEFAULT_SERVICE_CIDR) {
    const [ip, bits] = cidr.split('/');
    const base = ipToNumber(ip ?? '');
    const prefix = Number(bits);
    if (base === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new Error(`invalid --service-cluster-ip-range ${cidr}`);
    this.size = 2 ** (32 - prefix);
    this.base = base - (base % this.size);
  }

  /** The first usable address: the `kubernetes` Service's ClusterIP. */
  first(): string {
    return numberToIp(this.base + 1);
  }

  /** Takes `wanted` (or a free address) and returns it; 422 when taken or outside the range. */
  allocate(wanted?: string, field = 'spec.clusterIPs[0]'): string {
    if (wanted !== undefined && wanted !== '') {
      const n = ipToNumber(wanted);
      if (n === undefined || n <= this.base || n >= this.base + this.size - 1) {
        throw invalid(field, wanted, `failed to allocate IP ${wanted}: the provided IP (${wanted}) is not in the valid range. The range of valid IPs is ${this.cidr}`);
      }
      if (this.used.has(n)) throw invalid(field, wanted, `failed to allocate IP ${wanted}: provided IP is already allocated`);
      this.used.add(n);
      return wanted;
    }
    if (this.used.size >= this.size - 2) throw invalid(field, '', 'failed to allocate a serviceIP: range is full');
    for (;;) {
      const n = this.base + 1 + Math.floor(Math.random() * (this.size - 2));
      if (n === this.base + 1 && !this.used.has(n)) continue; // kept for the kubernetes Service
      if (!this.used.has(n)) {
        this.used.add(n);
        return numberToIp(n);
      }
    }
  }

  /** Marks an address as taken without checks (Services already stored at start-up). */
  reserve(ip: string): void {
    const n = ipToNumber(ip);
    if (n !== undefined) this.used.add(n);
  }

  release(ip: string): void {
    const n = ipToNumber(ip);
    if (n !== undefined) this.used.delete(n);
  }
}

/** NodePorts from a port range (upstream's portallocator). */
export class NodePortAllocator {
  private readonly low: number;
  private readonly high: number;
  private readonly used = new Set<number>();

  constructor(readonly range: string = DEFAULT_NODE_PORT_RANGE) {
    const [low, high] = range.split('-').map(Number);
    if (!Number.isInteger(low) || !Number.isInteger(high) || low! < 1 || high! > 65535 || low! > high!) throw new Error(`invalid --service-node-port-range ${range}`);
    this.low = low!;
    this.high = high!;
  }

  allocate(wanted: number | undefined, field: string): number {
    if (wanted !== undefined && wanted !== 0) {
      if (wanted < this.low || wanted > this.high) {
        throw invalid(field, wanted, `provided port is not in the valid range. The range of valid ports is ${this.range}`);
      }
      if (this.used.has(wanted)) throw invalid(field, wanted, 'provided port is already allocated');
      this.used.add(wanted);
      return wanted;
    }
    const span = this.high - this.low + 1;
    if (this.used.size >= span) throw invalid(field, 0, 'failed to allocate a nodePort: range is full');
    for (;;) {
      const p = this.low + Math.floor(Math.random() * span);
      if (!this.used.has(p)) {
        this.used.add(p);
        return p;
      }
    }
  }

  reserve(port: number): void {
    this.used.add(port);
  }

  release(port: number): void {
    this.used.delete(port);
  }
}
