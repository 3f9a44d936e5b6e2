import { test } from 'node:test';
import assert from 'node:assert/strict';
import { register as globalRegistry } from 'prom-client';
import { ApiMetrics, type RequestObservation } from './api-metrics.js';

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

interface Exposition {
  readonly help: Map<string, string>;
  readonly types: Map<string, string>;
  readonly samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const VALUE = /^(?:[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|[+-]Inf|NaN)$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function unescape(text: string, quoteAllowed: boolean, where: string): string {
  return text.replace(/\\(.?)/g, (_, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    if (c === '"' && quoteAllowed) return '"';
    throw new Error(`${where}: bad escape \\${c}`);
  });
}

function familyOf(sample: string, types: Map<string, string>): string | undefined {
  if (types.has(sample)) return sample;
  const [, base = '', suffix] = /^(.*)_(bucket|sum|count)$/.exec(sample) ?? [];
  const type = types.get(base);
  return type === 'histogram' || (type === 'summary' && suffix !== 'bucket') ? base : undefined;
}

function parseLabels(line: string, at: number, where: string): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = at + 1;
  while (line[i] !== '}') {
    const name = LABEL_NAME.exec(line.slice(i))?.[0];
    if (name === undefined) throw new Error(`${where}: bad label name`);
    i += name.length;
    if (line.slice(i, i + 2) !== '="') throw new Error(`${where}: expected ="`);
    i += 2;
    let raw = '';
    while (line[i] !== '"') {
      if (i >= line.length) throw new Error(`${where}: unterminated label value`);
      if (line[i] === '\\') raw += line[i++];
      raw += line[i++];
    }
    i++;
    if (name in labels) throw new Error(`${where}: duplicate label ${name}`);
    labels[name] = unescape(raw, true, where);
    if (line[i] === ',') i++;
    else if (line[i] !== '}') throw new Error(`${where}: expected , or }`);
  }
  return { labels, end: i + 1 };
}

/** A strict reader of the Prometheus text format 0.0.4; throws on the first line it cannot account for. */
function parseExposition(body: string): Exposition {
  const out: Exposition = { help: new Map(), types: new Map(), samples: [] };
  assert.ok(body.endsWith('\n'), 'the exposition ends with a newline');
  const lines = body.slice(0, -1).split('\n');
  lines.forEach((line, n) => {
    const where = `line ${n + 1} ${JSON.stringify(line)}`;
    if (line === '') return;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name = '', rest = ''] = meta;
      if (NAME.exec(name)?.[0] !== name) throw new Error(`${where}: bad metric name`);
      if (kind === 'HELP') {
        if (out.help.has(name)) throw new Error(`${where}: second HELP`);
        out.help.set(name, unescape(rest, false, where));
      } else {
        if (!TYPES.has(rest)) throw new Error(`${where}: bad type`);
        if (out.types.has(name)) throw new Error(`${where}: second TYPE`);
        if (out.samples.some((s) => familyOf(s.name, new Map([[name, rest]])) === name)) throw new Error(`${where}: TYPE after samples`);
        out.types.set(name, rest);
      }
      return;
    }
    if (line.startsWith('#')) return;
    const name = NAME.exec(line)?.[0];
    if (name === undefined) throw new Error(`${where}: no metric name`);
    let i = name.length;
    let labels: Record<string, string> = {};
    if (line[i] === '{') ({ labels, end: i } = parseLabels(line, i, where));
    const fields = line.slice(i).split(' ');
    if (fields[0] !== '' || fields.length < 2 || fields.length > 3) throw new Error(`${where}: expected " value [timestamp]"`);
    const value = fields[1] ?? '';
    if (!VALUE.test(value)) throw new Error(`${where}: bad value`);
    if (fields[2] !== undefined && !/^-?\d+$/.test(fields[2])) throw new Error(`${where}: bad timestamp`);
    if (familyOf(name, out.types) === undefined) throw new Error(`${where}: sample without a TYPE`);
    out.samples.push({ name, labels, value: value.endsWith('Inf') ? (value.startsWith('-') ? -Infinity : Infinity) : Number(value) });
  });
  return out;
}

function find(samples: Sample[], name: string, labels: Record<string, string>): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

async function scrape(metrics: ApiMetrics): Promise<Exposition> {
  return parseExposition((await metrics.render()).body);
}

const listPods: RequestObservation = {
  verb: 'list', dryRun: false, group: '', version: 'v1', resource: 'pods', subresource: '',
  namespaced: true, named: false, code: 200, seconds: 0.03,
};

test('render is text format 0.0.4 and every line parses, with the upstream families and types', async () => {
  const m = new ApiMetrics();
  m.observeRequest(listPods);
  m.watchEvent('apps', 'v1', 'Deployment', 3000);
  m.longRunning({ ...listPods, verb: 'watch' }, 1);
  m.setStorageObjects('pods', 3);
  const { contentType, body } = await m.render();
  assert.equal(contentType, 'text/plain; version=0.0.4; charset=utf-8');
  const { types, help } = parseExposition(body);
  const expected: Record<string, string> = {
    apiserver_request_total: 'counter',
    apiserver_request_duration_seconds: 'histogram',
    apiserver_longrunning_requests: 'gauge',
    apiserver_current_inflight_requests: 'gauge',
    apiserver_watch_events_total: 'counter',
    apiserver_watch_events_sizes: 'histogram',
    apiserver_storage_objects: 'gauge',
    process_cpu_seconds_total: 'counter',
    process_resident_memory_bytes: 'gauge',
    nodejs_heap_size_used_bytes: 'gauge',
  };
  for (const [name, type] of Object.entries(expected)) {
    assert.equal(types.get(name), type, name);
    assert.ok((help.get(name) ?? '').length > 0, `${name} has HELP`);
  }
  assert.equal(help.get('apiserver_watch_events_total'), 'Number of events sent in watch clients');
});

test('request observations carry upstream label values', async () => {
  const m = new ApiMetrics({ defaultMetrics: false });
  const base = { dryRun: false, subresource: '', namespaced: false, named: false, seconds: 0.01 };
  m.observeRequest(listPods);
  m.observeRequest(listPods);
  m.observeRequest({ ...base, verb: 'get', group: 'apps', version: 'v1', resource: 'deployments', namespaced: true, named: true, code: 404 });
  m.observeRequest({ ...base, verb: 'create', group: '', version: 'v1', resource: 'configmaps', namespaced: true, dryRun: true, code: 201 });
  m.observeRequest({ ...base, verb: 'patch', apply: true, group: 'apps', version: 'v1', resource: 'deployments', subresource: 'status', namespaced: true, named: true, code: 200 });
  m.observeRequest({ ...base, verb: 'deletecollection', group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', code: 200 });
  m.observeRequest({ ...base, verb: 'watch', group: '', version: 'v1', resource: 'nodes', code: 200 });
  m.observeRequest({ ...base, verb: 'connect', group: '', version: 'v1', resource: 'pods', subresource: 'exec', named: true, namespaced: true, code: 101 });
  const { samples } = await scrape(m);
  const total = (labels: Record<string, string>): number[] => find(samples, 'apiserver_request_total', labels).map((s) => s.value);
  assert.deepEqual(find(samples, 'apiserver_request_total', { verb: 'LIST' })[0]?.labels, {
    verb: 'LIST', dry_run: '', group: '', version: 'v1', resource: 'pods', subresource: '', scope: 'namespace', component: 'apiserver', code: '200',
  });
  assert.deepEqual(total({ verb: 'LIST', scope: 'namespace' }), [2]);
  assert.deepEqual(total({ verb: 'GET', group: 'apps', resource: 'deployments', scope: 'resource', code: '404' }), [1]);
  assert.deepEqual(total({ verb: 'POST', dry_run: 'All', scope: 'resource', code: '201' }), [1]);
  assert.deepEqual(total({ verb: 'APPLY', subresource: 'status', scope: 'resource' }), [1]);
  assert.deepEqual(total({ verb: 'DELETECOLLECTION', group: 'rbac.authorization.k8s.io', scope: 'cluster' }), [1]);
  assert.deepEqual(total({ verb: 'WATCH', resource: 'nodes', scope: 'cluster' }), [1]);
  assert.deepEqual(total({ verb: 'other', subresource: 'exec', code: '101' }), [1]);
  const count = find(samples, 'apiserver_request_duration_seconds_count', { verb: 'LIST', dry_run: '', scope: 'namespace', component: 'apiserver' });
  assert.deepEqual(count.map((s) => s.value), [2]);
  assert.equal(count[0]?.labels['code'], undefined, 'the histogram has no code label');
});

test('histogram buckets are upstream, cumulative, and end with +Inf equal to _count', async () => {
  const m = new ApiMetrics({ defaultMetrics: false });
  for (const seconds of [0.001, 0.03, 0.03, 0.5, 2.5, 100]) m.observeRequest({ ...listPods, seconds });
  for (const bytes of [10, 1500, 200000]) m.watchEvent('', 'v1', 'Pod', bytes);
  const { samples } = await scrape(m);
  const check = (family: string, les: string[], total: number): void => {
    const buckets = find(samples, `${family}_bucket`, {});
    assert.deepEqual(buckets.map((b) => b.labels['le']), [...les, '+Inf'], `${family} le`);
    buckets.forEach((b, i) => assert.ok(i === 0 || b.value >= (buckets[i - 1]?.value ?? 0), `${family} cumulative at ${b.labels['le']}`));
    assert.equal(buckets.at(-1)?.value, total);
    assert.equal(find(samples, `${family}_count`, {})[0]?.value, total);
  };
  check('apiserver_request_duration_seconds',
    ['0.005', '0.025', '0.05', '0.1', '0.2', '0.4', '0.6', '0.8', '1', '1.25', '1.5', '2', '3', '4', '5', '6', '8', '10', '15', '20', '30', '45', '60'], 6);
  assert.equal(find(samples, 'apiserver_request_duration_seconds_bucket', { le: '0.05' })[0]?.value, 3);
  check('apiserver_watch_events_sizes', ['1024', '2048', '4096', '8192', '16384', '32768', '65536', '131072'], 3);
  assert.deepEqual(find(samples, 'apiserver_watch_events_total', { group: '', version: 'v1', kind: 'Pod' }).map((s) => s.value), [3]);
});

test('in-flight gauge reports the peak since the last scrape per request kind', async () => {
  const m = new ApiMetrics({ defaultMetrics: false });
  const inflight = async (): Promise<Record<string, number>> =>
    Object.fromEntries(find((await scrape(m)).samples, 'apiserver_current_inflight_requests', {}).map((s) => [s.labels['request_kind'], s.value]));
  assert.deepEqual(await inflight(), { readOnly: 0, mutating: 0 });
  m.requestStarted('readOnly');
  m.requestStarted('readOnly');
  m.requestStarted('mutating');
  m.requestFinished('readOnly');
  assert.deepEqual(await inflight(), { readOnly: 2, mutating: 1 });
  m.requestFinished('mutating');
  assert.deepEqual(await inflight(), { readOnly: 1, mutating: 1 });
  assert.deepEqual(await inflight(), { readOnly: 1, mutating: 0 });
});

test('long-running gauge goes up and down with upstream labels', async () => {
  const m = new ApiMetrics({ defaultMetrics: false });
  const watch = { ...listPods, verb: 'watch' };
  m.longRunning(watch, 1);
  m.longRunning(watch, 1);
  m.longRunning(watch, -1);
  const [sample, ...rest] = find((await scrape(m)).samples, 'apiserver_longrunning_requests', {});
  assert.equal(rest.length, 0);
  assert.deepEqual(sample, {
    name: 'apiserver_longrunning_requests',
    labels: { verb: 'WATCH', group: '', version: 'v1', resource: 'pods', subresource: '', scope: 'namespace', component: 'apiserver' },
    value: 1,
  });
});

test('storage objects are refreshed by collect hooks, and label values are escaped', async () => {
  const m = new ApiMetrics({ defaultMetrics: false });
  let pods = 1;
  const off = m.onCollect(async () => {
    await Promise.resolve();
    m.setStorageObjects('pods', pods);
  });
  m.setStorageObjects('odd"name\\with\nnewline', 7);
  const objects = async (): Promise<Sample[]> => find((await scrape(m)).samples, 'apiserver_storage_objects', {});
  assert.deepEqual((await objects()).map((s) => [s.labels['resource'], s.value]), [['odd"name\\with\nnewline', 7], ['pods', 1]]);
  pods = 5;
  assert.equal((await objects()).find((s) => s.labels['resource'] === 'pods')?.value, 5);
  off();
  pods = 9;
  assert.equal((await objects()).find((s) => s.labels['resource'] === 'pods')?.value, 5);
});

test('each instance has its own registry and leaves the global one alone', async () => {
  const before = (await globalRegistry.metrics()).length;
  const a = new ApiMetrics();
  const b = new ApiMetrics();
  a.observeRequest(listPods);
  assert.equal(find((await scrape(b)).samples, 'apiserver_request_total', {}).length, 0);
  assert.equal(find((await scrape(a)).samples, 'apiserver_request_total', {}).length, 1);
  assert.equal((await globalRegistry.metrics()).length, before);
});

test('the parser rejects malformed exposition', () => {
  const bad = [
    'x 1\n',
    '# TYPE x counter\nx{a="1} 1\n',
    '# TYPE x counter\nx{a="\\t"} 1\n',
    '# TYPE x counter\nx{a="1"}  1\n',
    '# TYPE x counter\nx one\n',
    '# TYPE x bogus\n',
    '# TYPE x gauge\nx_bucket{le="1"} 1\n',
  ];
  for (const body of bad) assert.throws(() => parseExposition(body), Error, JSON.stringify(body));
  assert.equal(parseExposition('# HELP x a \\\\ b\\n\n# TYPE x gauge\nx{a="q\\"b"} -Inf 123\n').samples[0]?.value, -Infinity);
});

test('observeRequest costs under 5 µs per call', () => {
  const m = new ApiMetrics({ defaultMetrics: false });
  const shapes: RequestObservation[] = [
    listPods,
    { ...listPods, verb: 'get', named: true },
    { ...listPods, verb: 'create', code: 201 },
    { ...listPods, verb: 'update', named: true, group: 'apps', resource: 'deployments' },
    { ...listPods, verb: 'patch', named: true, code: 409 },
    { ...listPods, verb: 'delete', named: true, namespaced: false, resource: 'nodes' },
  ];
  const observations = Array.from({ length: 6000 }, (_, i) => ({ ...(shapes[i % shapes.length] as RequestObservation), seconds: i / 6000 }));
  const run = (n: number): void => {
    for (let i = 0; i < n; i++) m.observeRequest(observations[i % observations.length] as RequestObservation);
  };
  run(10_000);
  const calls = 100_000;
  // Other processes share this machine, so each round reports CPU time as well as wall time and the best round counts.
  const rounds = Array.from({ length: 3 }, () => {
    const cpu = process.cpuUsage();
    const wall = process.hrtime.bigint();
    run(calls);
    const used = process.cpuUsage(cpu);
    return { wall: Number(process.hrtime.bigint() - wall) / calls / 1000, cpu: (used.user + used.system) / calls };
  });
  for (const r of rounds) console.log(`observeRequest: ${r.cpu.toFixed(3)} µs CPU, ${r.wall.toFixed(3)} µs wall per call over ${calls} calls`);
  const perCall = Math.min(...rounds.map((r) => r.cpu));
  assert.ok(perCall < 5, `${perCall} µs per call`);
});
