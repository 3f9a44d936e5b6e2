/**
 * The address fields of Services and Endpoints: clusterIP/clusterIPs/ipFamilies consistency
 * (ValidateServiceClusterIPsRelatedFields), their update rules, and the non-special IP rule.
 */
import { duplicate, invalid, notSupported, required, type FieldError } from '../field-error.js';
import { FieldPath } from '../field-path.js';
import { goStrings } from './go-syntax.js';
import { parseIPSloppy, str, stringsOf, validateIP, type JsonObject } from './validation-util.js';

const SPEC = FieldPath.of('spec');
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];

export function isHeadless(spec: JsonObject): boolean {
  return spec['clusterIP'] === 'None';
}

export function validateClusterIPFields(spec: JsonObject): FieldError[] {
  if (spec['type'] === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const clusterIP = str(spec['clusterIP']);
  const clusterIPs = stringsOf(spec['clusterIPs']);
  const ipsPath = SPEC.child('clusterIPs');
  if (clusterIP !== '') {
    if (clusterIPs.length === 0) errs.push(required(ipsPath));
    else if (clusterIPs[0] !== clusterIP) errs.push(invalid(ipsPath, goStrings(clusterIPs), 'first value must match `clusterIP`'));
  } else if (clusterIPs.length > 0) {
    errs.push(invalid(ipsPath, goStrings(clusterIPs), 'must be empty when `clusterIP` is not specified'));
  }
  const families = stringsOf(spec['ipFamilies']);
  const seen = new Set<string>();
  families.forEach((family, i) => {
    if (!IP_FAMILIES.includes(family)) errs.push(notSupported(SPEC.child('ipFamilies').index(i), family, IP_FAMILIES));
    if (seen.has(family)) errs.push(duplicate(SPEC.child('ipFamilies').index(i), family));
    seen.add(family);
  });
  const policy = spec['ipFamilyPolicy'];
  if (policy !== undefined && policy !== null && !IP_FAMILY_POLICIES.includes(str(policy))) {
    errs.push(notSupported(SPEC.child('ipFamilyPolicy'), str(policy), IP_FAMILY_POLICIES));
  }
  let invalidIPs = false;
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) {
        invalidIPs = true;
        errs.push(invalid(ipsPath, goStrings(clusterIPs), "'None' must be the first and only value"));
      }
      return;
    }
    const ipErrs = validateIP(ip, ipsPath.index(i));
    if (ipErrs.length > 0) invalidIPs = true;
    errs.push(...ipErrs);
  });
  if (clusterIPs.length > 2) errs.push(invalid(ipsPath, goStrings(clusterIPs), 'may only hold up to 2 values'));
  if (invalidIPs) return errs;
  if (clusterIPs.length > 1) {
    const kinds = new Set(clusterIPs.map(parseIPSloppy));
    if (kinds.size !== clusterIPs.length) {
      errs.push(invalid(ipsPath, goStrings(clusterIPs), 'may specify no more than one IP for each IP family'));
    }
  }
  if (!isHeadless(spec)) {
    clusterIPs.forEach((ip, i) => {
      const family = families[i];
      const v6 = parseIPSloppy(ip) === 6;
      if (family === 'IPv4' && v6) errs.push(invalid(ipsPath.index(i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (family === 'IPv6' && !v6) errs.push(invalid(ipsPath.index(i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

export function validateClusterIPsUpdate(spec: JsonObject, oldSpec: JsonObject): FieldError[] {
  if (spec['type'] === 'ExternalName' || oldSpec['type'] === 'ExternalName') return [];
  if (isHeadless(spec) && isHeadless(oldSpec)) return [];
  const next = stringsOf(spec['clusterIPs']);
  const prev = stringsOf(oldSpec['clusterIPs']);
  const path = SPEC.child('clusterIPs');
  const shown = goStrings(next);
  const errs: FieldError[] = [];
  if (prev.length === next.length) {
    prev.forEach((ip, i) => {
      if (ip !== next[i]) errs.push(invalid(path.index(i), shown, 'may not change once set'));
    });
  } else if (prev.length > next.length) {
    if (next.length === 0) errs.push(invalid(path.index(0), shown, 'primary clusterIP can not be unset'));
    if (next.length > 0 && next[0] !== prev[0]) errs.push(invalid(path.index(0), shown, 'may not change once set'));
    if (next.length === 1 && spec['ipFamilyPolicy'] !== 'SingleStack') {
      errs.push(invalid(path.index(0), shown, "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (prev.length > 0 && next[0] !== prev[0]) {
    errs.push(invalid(path.index(0), shown, 'may not change once set'));
  }
  return errs;
}

/** The eight 16-bit words of an IPv6 address (the text already passed isIP). */
function ipv6Words(ip: string): number[] {
  let text = ip;
  const tail: number[] = [];
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a = 0, b = 0, c = 0, d = 0] = v4.slice(1).map(Number);
    tail.push((a << 8) | b, (c << 8) | d);
    text = text.slice(0, v4.index);
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  }
  const [head = '', rest] = text.split('::');
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((w) => parseInt(w, 16)));
  const left = parse(head);
  const right = [...(rest === undefined ? [] : parse(rest)), ...tail];
  if (rest === undefined) return [...left, ...right];
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** The IPv4 octets of an IPv4 or IPv4-mapped IPv6 address (Go's To4). */
function ipv4Octets(ip: string, kind: 4 | 6): number[] | undefined {
  if (kind === 4) return ip.split('.').map(Number);
  const words = ipv6Words(ip);
  if (!words.slice(0, 5).every((w) => w === 0) || words[5] !== 0xffff) return undefined;
  const [hi = 0, lo = 0] = words.slice(6);
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
}

/** ValidateNonSpecialIP: no unspecified, loopback or link-local addresses. */
export function validateNonSpecialIP(ip: string, path: FieldPath): FieldError[] {
  const kind = parseIPSloppy(ip);
  if (kind === undefined) return [invalid(path, ip, 'must be a valid IP address')];
  const octets = ipv4Octets(ip, kind);
  const words = octets ? [] : ipv6Words(ip);
  const first = words[0] ?? 0;
  const unspecified = octets ? octets.every((o) => o === 0) : words.every((w) => w === 0);
  const loopback = octets ? octets[0] === 127 : words.slice(0, 7).every((w) => w === 0) && words[7] === 1;
  const linkLocal = octets ? octets[0] === 169 && octets[1] === 254 : (first & 0xffc0) === 0xfe80;
  const multicast = octets ? octets[0] === 224 && octets[1] === 0 && octets[2] === 0 : (first & 0xff0f) === 0xff02;
  const errs: FieldError[] = [];
  if (unspecified) errs.push(invalid(path, ip, `may not be unspecified (${ip})`));
  if (loopback) errs.push(invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (linkLocal) errs.push(invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (multicast) errs.push(invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

export function validateCIDR(value: string, path: FieldPath): FieldError[] {
  const match = /^(.+)\/(\d{1,3})$/.exec(value);
  const kind = match ? parseIPSloppy(match[1] ?? '') : undefined;
  const bits = match ? Number(match[2]) : -1;
  const valid = kind !== undefined && bits <= (kind === 4 ? 32 : 128);
  return valid ? [] : [invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}
