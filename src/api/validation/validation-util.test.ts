import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../field-error.js';
import { FieldPath } from '../field-path.js';
import { validateResourceRequirements } from './resources-validation.js';
import { validateNonSpecialIP } from './service-ip-validation.js';
import { isConfigMapKey, isValidPortName, parseIPSloppy, semanticEqual } from './validation-util.js';

test('port names follow IANA service name rules', () => {
  assert.deepEqual(isValidPortName('http'), []);
  assert.deepEqual(isValidPortName('8080'), ['must contain at least one letter (a-z)']);
  assert.deepEqual(isValidPortName('-a--b'), ['must not contain consecutive hyphens', 'must not begin or end with a hyphen']);
  assert.deepEqual(isValidPortName('a-very-long-port-name'), ['must be no more than 15 characters']);
});

test('config keys reject path tricks', () => {
  assert.deepEqual(isConfigMapKey('.env'), []);
  assert.deepEqual(isConfigMapKey('..data'), ["must not start with '..'"]);
});

test('IPs parse as netutils.ParseIPSloppy does', () => {
  assert.equal(parseIPSloppy('10.0.0.1'), 4);
  assert.equal(parseIPSloppy('010.000.000.001'), 4);
  assert.equal(parseIPSloppy('256.0.0.1'), undefined);
  assert.equal(parseIPSloppy('2001:db8::1'), 6);
  assert.equal(parseIPSloppy('fe80::1%eth0'), undefined);
});

test('special IPs are refused', () => {
  const path = FieldPath.of('ip');
  const msgs = (ip: string): string[] => validateNonSpecialIP(ip, path).map(fieldErrorMessage);
  assert.deepEqual(msgs('10.1.2.3'), []);
  assert.deepEqual(msgs('0.0.0.0'), ['ip: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)']);
  assert.deepEqual(msgs('::1'), ['ip: Invalid value: "::1": may not be in the loopback range (127.0.0.0/8, ::1/128)']);
  assert.deepEqual(msgs('::ffff:127.0.0.1'), ['ip: Invalid value: "::ffff:127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)']);
  assert.deepEqual(msgs('fe80::1'), ['ip: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)']);
  assert.deepEqual(msgs('224.0.0.5'), ['ip: Invalid value: "224.0.0.5": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)']);
});

test('semantic equality treats absent, null and empty collections alike', () => {
  assert.ok(semanticEqual({ a: [], b: null }, {}));
  assert.ok(semanticEqual({ a: { x: {} } }, { a: {} }));
  assert.ok(!semanticEqual({ a: 0 }, {}));
  assert.ok(!semanticEqual([1, 2], [2, 1]));
});

test('hugepages need cpu or memory and whole pages; extended resources whole units', () => {
  const path = FieldPath.of('resources');
  const msgs = (resources: unknown): string[] => validateResourceRequirements(resources, path).map(fieldErrorMessage);
  assert.deepEqual(msgs({ limits: { 'hugepages-2Mi': '3Mi' } }), [
    'resources.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi',
    'resources: Forbidden: HugePages require cpu or memory',
  ]);
  assert.deepEqual(msgs({ limits: { 'example.com/gpu': '1' }, requests: { 'example.com/gpu': '2' } }), [
    'resources.requests: Invalid value: "2": must be equal to example.com/gpu limit of 1',
  ]);
  assert.deepEqual(msgs({ requests: { 'example.com/gpu': '1' } }), [
    'resources.limits: Required value: Limit must be set for non overcommitable resources',
  ]);
});
