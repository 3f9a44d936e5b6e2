// Bad input gets a clear Status (400/404/415/422), never a 500 and never stored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialsFromKubeconfig, HttpsClient } from '../support/https-client.js';
import { startApiserver, type SkiffProcess } from '../support/skiff-process.js';

let server: SkiffProcess;
let api: HttpsClient;
before(async () => {
  server = await startApiserver();
  api = new HttpsClient(credentialsFromKubeconfig(server.kubeconfig));
});
after(() => server?.stop());

const CM = '/api/v1/namespaces/default/configmaps';
const PODS = '/api/v1/namespaces/default/pods';
const pod = (extra: Record<string, unknown>) => JSON.stringify({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x', ...extra }] } });

const cases: [method: string, path: string, body: string | undefined, code: number, message: RegExp][] = [
  ['POST', CM, '['.repeat(20000) + ']'.repeat(20000), 400, /exceeded max depth/],
  ['POST', CM, '{"metadata":"oops"}', 400, /cannot unmarshal string into Go struct field ConfigMap\.metadata/],
  ['POST', CM, '{"metadata":{"name":"n"},"data":{"a":1}}', 400, /cannot unmarshal number into Go struct field ConfigMap\.data\.a of type string/],
  ['POST', CM, '{"metadata":{"name":"n","labels":{"a":{"b":1}}}}', 400, /cannot unmarshal object/],
  ['POST', CM, 'null', 400, /cannot be handled as a ConfigMap/],
  ['POST', CM, '{"metadata":{"name":"n"', 400, /cannot be handled as a ConfigMap/],
  ['POST', CM, `{"metadata":{"name":"${'a'.repeat(300)}"}}`, 422, /must be no more than 253 characters/],
  ['POST', PODS, pod({ ports: [{ containerPort: '80' }] }), 400, /Pod\.spec\.containers\.ports\.containerPort of type int64/],
  ['POST', PODS, pod({ resources: { limits: { cpu: 'abc' } } }), 422, /quantities must match the regular expression/],
  ['POST', PODS, '{"metadata":{"name":"p"},"spec":{"containers":"nope"}}', 400, /cannot unmarshal string into Go struct field Pod\.spec\.containers of type array/],
  ['GET', `${PODS}?labelSelector=a%20in%20(`, undefined, 400, /unable to parse requirement/],
  ['GET', `${PODS}?fieldSelector=spec.nodeName`, undefined, 400, /invalid selector/],
  ['GET', `${PODS}?resourceVersion=abc`, undefined, 422, /resourceVersion: Invalid value: "abc"/],
  ['GET', `${PODS}?continue=abc`, undefined, 400, /invalid continue token/],
  ['PATCH', `${CM}/nope`, '{}', 415, /accepted media types include: application\/json-patch\+json/],
  ['POST', '/api/v1/namespaces', '{"metadata":{"name":"Bad!"}}', 422, /a lowercase RFC 1123 label must consist of/],
  ['DELETE', `${PODS}?labelSelector=(((`, undefined, 400, /found '\('/],
];

test('malformed, mistyped and invalid requests get their Status codes, never 500', async () => {
  for (const [method, path, body, code, message] of cases) {
    const res = await api.request(method, path, body === undefined ? {} : { body, contentType: 'application/json' });
    assert.equal(res.status, code, `${method} ${path.slice(0, 60)} ${body?.slice(0, 60) ?? ''}: ${res.body.slice(0, 300)}`);
    const status = res.json() as { kind: string; code: number; message: string };
    assert.equal(status.kind, 'Status');
    assert.equal(status.code, code);
    assert.match(status.message, message);
  }
  const list = (await api.request('GET', CM)).json() as { items: { metadata: { name: string } }[] };
  assert.deepEqual(list.items.map((i) => i.metadata.name), [], 'nothing was stored');
});
