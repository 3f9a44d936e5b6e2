import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenFileAuthenticator } from './token-file-authenticator.js';

describe('TokenFileAuthenticator', () => {
  it('reads token, user, uid and quoted groups', () => {
    const tokens = TokenFileAuthenticator.parse('abc,alice,1001,"dev,ops"\n\ndef,bob,,single\nghi,carol,c\n', 'tokens.csv');
    assert.deepEqual(tokens.authenticateToken('abc'), { username: 'alice', uid: '1001', groups: ['dev', 'ops'] });
    assert.deepEqual(tokens.authenticateToken('def'), { username: 'bob', groups: ['single'] });
    assert.deepEqual(tokens.authenticateToken('ghi'), { username: 'carol', uid: 'c', groups: [] });
    assert.equal(tokens.authenticateToken('nope'), undefined);
    assert.deepEqual(tokens.warnings, []);
  });

  it('needs at least three columns', () => {
    assert.throws(
      () => TokenFileAuthenticator.parse('abc,alice\n', 'tokens.csv'),
      /token file 'tokens.csv' must have at least 3 columns \(token, user name, user uid\), found 2/,
    );
  });

  it('warns about empty and repeated tokens; the last row of a token wins', () => {
    const tokens = TokenFileAuthenticator.parse(',nobody,0\nt,first,1\nt,second,2\n', 'f');
    assert.equal(tokens.authenticateToken('t')?.username, 'second');
    assert.equal(tokens.authenticateToken(''), undefined);
    assert.deepEqual(tokens.warnings, [
      "empty token has been found in token file 'f', record number '1'",
      "duplicate token has been found in token file 'f', record number '3'",
    ]);
  });

  it('names the file in CSV errors', () => {
    assert.throws(() => TokenFileAuthenticator.parse('a,b,"c\n', 'f.csv'), /token file 'f.csv': .*quoted-field/);
  });
});
