import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { ApiError } from '../../api/index.js';
import { exchangeInProcess } from '../http/in-process.js';
import { writeError } from '../http/respond.js';
import { CertificateAuthority } from '../pki/index.js';
import type { ResourceStore } from '../registry/resource-store.js';
import { servePodLog } from './pod-log-handler.js';

/** A store that answers `get` from a map (ResourceStore's read side, as servePodLog uses it). */
function store(objects: Record<string, unknown>): ResourceStore {
  return {
    get: (_ns: string, name: string) => {
      const object = objects[name];
      return object ? Promise.resolve({ object }) : Promise.reject(ApiError.notFound({ group: '', resource: 'pods' }, name));
    },
  } as unknown as ResourceStore;
}

async function text(body: AsyncIterable<Buffer | object>): Promise<string> {
  let out = '';
  for await (const c of body) {
    if (!Buffer.isBuffer(c)) throw new Error('expected bytes, got a decoded watch event');
    out += c.toString();
  }
  return out;
}

describe('servePodLog', () => {
  let kubelet: Server;
  let port = 0;
  const seen: { path: string; cn: string }[] = [];
  let client: { certPem: string; keyPem: string };

  before(async () => {
    const ca = await CertificateAuthority.create();
    const serving = await ca.issue({ subject: { commonName: 'kubelet' }, usage: 'serverAuth', sans: ['127.0.0.1'], days: 1 });
    client = await ca.mintClientCertificate({ user: 'kube-apiserver-kubelet-client' });
    kubelet = createServer({ cert: serving.certPem, key: serving.keyPem, ca: [ca.certPem], requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const cn = (req.socket as import('node:tls').TLSSocket).getPeerCertificate().subject.CN;
      seen.push({ path: req.url ?? '', cn: String(cn) });
      if (req.url?.includes('/redirect/')) {
        res.writeHead(302, { Location: 'https://127.0.0.1:1/elsewhere' });
        return void res.end();
      }
      if (req.url?.includes('/waiting/')) {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        return void res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400, message: 'container "c" in pod "waiting" is waiting to start: ContainerCreating' }));
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('line 1\n');
      setTimeout(() => res.end('line 2\n'), 20);
    });
    await new Promise<void>((r) => kubelet.listen(0, '127.0.0.1', r));
    port = (kubelet.address() as AddressInfo).port;
  });
  after(() => kubelet.close());

  const node: Node = { metadata: { name: 'n1' }, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: 0 } } } };
  const pod = (name: string, containers = ['c'], nodeName: string | null = 'n1'): Pod => ({ metadata: { name, namespace: 'ns' }, spec: { nodeName: nodeName ?? undefined, containers: containers.map((c) => ({ name: c })) } });
  const call = async (path: string) => {
    const pods = store({ ok: pod('ok'), redirect: pod('redirect'), waiting: pod('waiting'), two: pod('two', ['a', 'b']), pending: pod('pending', ['c'], null) });
    const nodes = store({ n1: { ...node, status: { ...node.status, daemonEndpoints: { kubeletEndpoint: { Port: port } } } } });
    const [name, query = ''] = path.split('?') as [string, string?];
    const res = await exchangeInProcess(
      async (req, rs) => {
        try {
          await servePodLog(req, rs, 'ns', name, new URLSearchParams(query), { pods, nodes, clientCertPem: client.certPem, clientKeyPem: client.keyPem, shutdown: new AbortController().signal });
        } catch (err) {
          writeError(req, rs, err, () => {});
        }
      },
      { method: 'GET', url: `/api/v1/namespaces/ns/pods/${name}/log` },
    );
    return { status: res.status, body: await text(res.body) };
  };

  it('proxies to /containerLogs with the kubelet client certificate and the log options, streaming the body', async () => {
    assert.deepEqual(await call('ok?follow=true&tailLines=5&timestamps=true&bogus=1'), { status: 200, body: 'line 1\nline 2\n' });
    assert.deepEqual(seen.at(-1), { path: '/containerLogs/ns/ok/c?follow=true&timestamps=true&tailLines=5', cn: 'kube-apiserver-kubelet-client' });
  });

  it('never follows a redirect, and passes the kubelet’s error Status on', async () => {
    const redirect = await call('redirect');
    assert.equal(redirect.status, 500);
    assert.match(redirect.body, /answered a redirect \(302\), which is not followed/);
    assert.equal(seen.filter((s) => s.path.includes('elsewhere')).length, 0);
    const waiting = await call('waiting');
    assert.equal(waiting.status, 400);
    assert.equal(JSON.parse(waiting.body).message, 'container "c" in pod "waiting" is waiting to start: ContainerCreating');
  });

  it('validates the options and the container as upstream, and answers an unscheduled Pod with nothing', async () => {
    const invalid = await call('ok?tailLines=-1&limitBytes=0');
    assert.equal(invalid.status, 422);
    assert.equal(JSON.parse(invalid.body).message, 'PodLogOptions "ok" is invalid: [tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]');
    assert.equal((await call('ok?sinceSeconds=x')).status, 400);
    const choose = await call('two');
    assert.equal(choose.status, 400);
    assert.equal(JSON.parse(choose.body).message, 'a container name must be specified for pod two, choose one of: [a b]');
    assert.equal(JSON.parse((await call('two?container=zz')).body).message, 'container zz is not valid for pod two');
    assert.deepEqual(await call('pending'), { status: 200, body: '' });
    assert.equal((await call('missing')).status, 404);
  });
});
