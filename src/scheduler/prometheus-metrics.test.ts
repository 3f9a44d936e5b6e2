import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { PrometheusSchedulerMetrics } from './prometheus-metrics.js';

test('attempts, their durations and the pending pods per queue are exposed', async () => {
  const registry = new Registry();
  const m = new PrometheusSchedulerMetrics(registry);
  m.attempt('scheduled', 'default-scheduler', 3);
  m.attempt('unschedulable', 'default-scheduler', 1);
  m.watchQueue(() => ({ active: 2, backoff: 1, unschedulable: 4 }));
  const text = await registry.metrics();
  assert.match(text, /scheduler_schedule_attempts_total\{result="scheduled",profile="default-scheduler"\} 1/);
  assert.match(text, /scheduler_scheduling_attempt_duration_seconds_count\{result="unschedulable",profile="default-scheduler"\} 1/);
  assert.match(text, /scheduler_pending_pods\{queue="unschedulable"\} 4/);
  assert.match(text, /scheduler_pending_pods\{queue="active"\} 2/);
});
