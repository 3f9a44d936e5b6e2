import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InflightLimiter } from './inflight-limiter.js';

test('admits up to each pool\'s limit, releases once, and reports idleness', async () => {
  const l = new InflightLimiter({ readOnly: 2, mutating: 1 });
  const r1 = l.admit('readOnly')!;
  const r2 = l.admit('readOnly')!;
  assert.equal(l.admit('readOnly'), undefined);
  const m1 = l.admit('mutating')!;
  assert.equal(l.admit('mutating'), undefined);
  r1();
  r1();
  assert.equal(l.inflight('readOnly'), 1);
  const idle = l.idle(5000);
  r2();
  m1();
  await idle;
  assert.equal(l.total(), 0);
  const unlimited = new InflightLimiter({ readOnly: 0, mutating: 0 });
  for (let i = 0; i < 1000; i++) assert.ok(unlimited.admit('mutating'));
});
