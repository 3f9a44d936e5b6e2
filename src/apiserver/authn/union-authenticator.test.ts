import assert from 'node:assert/strict';
import { once } from 'node:events';
import https from 'node:https';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../lib/index.js';
import { CertificateAuthority, ensurePki, type IssuedCertificate, type Pki } from '../pki/index.js';
import { InvalidCredentialsError, type AuthenticatableRequest, type Authenticator } from './authenticator.js';
import { BearerTokenAuthenticator } from './bearer-token-authenticator.js';
import { TokenFileAuthenticator } from './token-file-authenticator.js';
import { UnionAuthenticator } from './union-authenticator.js';
import { X509Authenticator } from './x509-authenticator.js';

type Outcome = { user: unknown } | { invalid: string } | { none: true };

interface Client {
  cert?: IssuedCertificate;
  authorization?: string;
}

const dataDir = mkdtempSync(join(tmpdir(), 'skiff-authn-'));
let pki: Pki;
let strangerCert: IssuedCertificate;
let janeCert: IssuedCertificate;
const standard: Authenticator = new UnionAuthenticator([
  new X509Authenticator(),
  new BearerTokenAuthenticator(TokenFileAuthenticator.parse('s3cret,tokenuser,42,"readers,writers"\n', 'tokens.csv')),
]);
let authenticator = standard;

before(async () => {
  pki = await ensurePki({ dataDir, hosts: [] });
  janeCert = await pki.mintClientCertificate({ user: 'jane', groups: ['devs', 'system:masters'] });
  const stranger = await CertificateAuthority.create({ commonName: 'skiff-ca' });
  strangerCert = await stranger.mintClientCertificate({ user: 'mallory', groups: ['system:masters'] });
});
after(() => rmSync(dataDir, { recursive: true, force: true }));

function outcome(req: AuthenticatableRequest): Outcome {
  try {
    const user = authenticator.authenticate(req);
    return user === undefined ? { none: true } : { user };
  } catch (err) {
    if (err instanceof InvalidCredentialsError) return { invalid: err.message };
    throw err;
  }
}

function tlsOptions(): { key: string; cert: string; ca: string[]; requestCert: true; rejectUnauthorized: false } {
  return { key: pki.servingKeyPem, cert: pki.servingCertPem, ca: [pki.caCertPem], requestCert: true, rejectUnauthorized: false };
}

interface Protocol {
  name: string;
  start(): Promise<{ call(client: Client): Promise<Outcome>; close(): Promise<void> }>;
}

const http1: Protocol = {
  name: 'HTTPS (HTTP/1.1)',
  async start() {
    const server = https.createServer(tlsOptions(), (req, res) => res.end(JSON.stringify(outcome(req))));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return {
      async call(client) {
        const req = https.request({
          host: '127.0.0.1',
          port,
          path: '/api',
          agent: false,
          ca: pki.caCertPem,
          ...(client.cert === undefined ? {} : { cert: client.cert.certPem, key: client.cert.keyPem }),
          headers: client.authorization === undefined ? {} : { authorization: client.authorization },
        });
        req.end();
        const [res] = (await once(req, 'response')) as [NodeJS.ReadableStream];
        let body = '';
        for await (const chunk of res) body += String(chunk);
        return JSON.parse(body) as Outcome;
      },
      async close() {
        server.closeAllConnections();
        server.close();
        await once(server, 'close');
      },
    };
  },
};

const h2: Protocol = {
  name: 'HTTP/2',
  async start() {
    const server = http2.createSecureServer(tlsOptions(), (req, res) => res.end(JSON.stringify(outcome(req))));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return {
      async call(client) {
        const session = http2.connect(`https://127.0.0.1:${port}`, {
          ca: pki.caCertPem,
          ...(client.cert === undefined ? {} : { cert: client.cert.certPem, key: client.cert.keyPem }),
        });
        try {
          const headers: http2.OutgoingHttpHeaders = { ':path': '/api' };
          if (client.authorization !== undefined) headers.authorization = client.authorization;
          const stream = session.request(headers);
          stream.end();
          let body = '';
          for await (const chunk of stream) body += String(chunk);
          return JSON.parse(body) as Outcome;
        } finally {
          session.close();
        }
      },
      async close() {
        server.close();
        await once(server, 'close');
      },
    };
  },
};

for (const protocol of [http1, h2]) {
  describe(`authentication over ${protocol.name}`, () => {
    let server: Awaited<ReturnType<Protocol['start']>>;
    before(async () => {
      server = await protocol.start();
    });
    after(() => server.close());

    it('authenticates a client certificate from the cluster CA: CN = user, O = groups', async () => {
      assert.deepEqual(await server.call({ cert: janeCert }), {
        user: { username: 'jane', groups: ['devs', 'system:masters', 'system:authenticated'] },
      });
    });

    it('rejects a client certificate from another CA', async () => {
      const result = await server.call({ cert: strangerCert });
      assert.ok('invalid' in result, JSON.stringify(result));
      assert.match(result.invalid, /^x509: client certificate rejected/);
    });

    it('rejects a certificate that is not for client authentication', async () => {
      const result = await server.call({ cert: { certPem: pki.servingCertPem, keyPem: pki.servingKeyPem } });
      assert.ok('invalid' in result, JSON.stringify(result));
    });

    it('rejects a certificate that expired after the handshake', async () => {
      authenticator = new X509Authenticator({ clock: new ManualClock(Date.now() + 400 * 86_400_000) });
      try {
        assert.deepEqual(await server.call({ cert: janeCert }), { invalid: 'x509: client certificate has expired' });
      } finally {
        authenticator = standard;
      }
    });

    it('authenticates a bearer token when no certificate is offered', async () => {
      assert.deepEqual(await server.call({ authorization: 'Bearer s3cret' }), {
        user: { username: 'tokenuser', uid: '42', groups: ['readers', 'writers', 'system:authenticated'] },
      });
    });

    it('lets a valid token win over a rejected certificate', async () => {
      const result = await server.call({ cert: strangerCert, authorization: 'bearer s3cret' });
      assert.ok('user' in result, JSON.stringify(result));
    });

    it('rejects an unknown bearer token', async () => {
      assert.deepEqual(await server.call({ authorization: 'Bearer wrong' }), { invalid: 'invalid bearer token' });
    });

    it('finds no credentials when nothing is offered', async () => {
      assert.deepEqual(await server.call({}), { none: true });
      assert.deepEqual(await server.call({ authorization: 'Basic dTpw' }), { none: true });
      assert.deepEqual(await server.call({ authorization: 'Bearer' }), { none: true });
    });
  });
}
