import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { ManualClock } from '../../lib/index.js';
import { JwtSigner, looksLikeJwt } from './jwt.js';
import { TokenIssuer } from './token-issuer.js';
import { ServiceAccountTokenAuthenticator, type LiveObject } from './token-authenticator.js';
import { EXPIRATION_EXTENSION_SECONDS } from './token-claims.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const keyPem = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function fixture() {
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const signer = new JwtSigner(keyPem());
  const objects = new Map<string, LiveObject>([
    ['sa/ns/default', { uid: 'sa-uid' }],
    ['pod/ns/web', { uid: 'pod-uid' }],
  ]);
  const lookup = {
    serviceAccount: (ns: string, n: string) => objects.get(`sa/${ns}/${n}`),
    pod: (ns: string, n: string) => objects.get(`pod/${ns}/${n}`),
    secret: (ns: string, n: string) => objects.get(`secret/${ns}/${n}`),
    node: (n: string) => objects.get(`node/${n}`),
  };
  const issuer = new TokenIssuer({ signer, issuer: ISSUER, apiAudiences: [ISSUER], extendExpiration: true, maxExpirationSeconds: 0, clock });
  const authn = new ServiceAccountTokenAuthenticator({ signer, issuers: [ISSUER], apiAudiences: [ISSUER], lookup, clock });
  const subject = { namespace: 'ns', serviceAccount: { name: 'default', uid: 'sa-uid' } };
  return { clock, signer, objects, issuer, authn, subject };
}

test('a token signs and verifies; a changed payload or another key does not verify', () => {
  const { signer } = fixture();
  const token = signer.sign({ sub: 'x' });
  assert.ok(looksLikeJwt(token));
  assert.deepEqual(signer.verify(token), { sub: 'x' });
  const [h, , s] = token.split('.');
  assert.equal(signer.verify(`${h}.${Buffer.from('{"sub":"y"}').toString('base64url')}.${s}`), undefined);
  assert.equal(new JwtSigner(keyPem()).verify(token), undefined);
  assert.equal(signer.verify('not-a-jwt'), undefined);
});

test('an issued token authenticates as its service account until it expires (with one minute of leeway)', () => {
  const { clock, issuer, authn, subject } = fixture();
  const { token } = issuer.issue(subject, [], 600);
  const user = authn.authenticateToken(token);
  assert.equal(user?.username, 'system:serviceaccount:ns:default');
  assert.equal(user?.uid, 'sa-uid');
  assert.deepEqual(user?.groups, ['system:serviceaccounts', 'system:serviceaccounts:ns']);
  clock.advance(660_000);
  assert.ok(authn.authenticateToken(token), 'still inside the leeway');
  clock.advance(1_000);
  assert.equal(authn.authenticateToken(token), undefined);
});

test('audiences: a token is valid only for the audiences it names', () => {
  const { issuer, authn, subject } = fixture();
  const { token } = issuer.issue(subject, ['vault'], 600);
  assert.equal(authn.authenticateToken(token), undefined);
  assert.deepEqual(authn.authenticate(token, ['vault', 'other'])?.audiences, ['vault']);
});

test('a token dies with its service account or bound Pod (uid and deletion checked)', () => {
  const { objects, issuer, authn, subject, clock } = fixture();
  const bound = issuer.issue({ ...subject, pod: { name: 'web', uid: 'pod-uid' } }, [], 600).token;
  assert.deepEqual(authn.authenticateToken(bound)?.extra?.['authentication.kubernetes.io/pod-name'], ['web']);
  objects.set('pod/ns/web', { uid: 'pod-uid', deletionTimestamp: new Date(clock.now()).toISOString() });
  assert.ok(authn.authenticateToken(bound), 'a Pod that just began terminating still vouches');
  clock.advance(61_000);
  assert.equal(authn.authenticateToken(bound), undefined);
  objects.set('pod/ns/web', { uid: 'another' });
  assert.equal(authn.authenticateToken(bound), undefined);
  const plain = issuer.issue(subject, [], 600).token;
  objects.delete('sa/ns/default');
  assert.equal(authn.authenticateToken(plain), undefined);
});

test('Pod-bound 3607 s tokens live a year with a warnafter claim; a maximum caps requests', () => {
  const { issuer, signer, subject } = fixture();
  const extended = issuer.issue({ ...subject, pod: { name: 'web', uid: 'pod-uid' } }, [], 3607);
  const claims = signer.verify(extended.token)!;
  const k8s = claims['kubernetes.io'] as { warnafter: number };
  assert.equal((claims.exp as number) - (claims.iat as number), EXPIRATION_EXTENSION_SECONDS);
  assert.equal(k8s.warnafter - (claims.iat as number), 3607);
  const capped = new TokenIssuer({ ...issuer.opts, maxExpirationSeconds: 1200 }).issue(subject, [], 7200);
  assert.equal(capped.expirationSeconds, 1200);
});
