import { createPrivateKey, createPublicKey, type webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

const EC_P256: webcrypto.EcKeyImportParams = { name: 'ECDSA', namedCurve: 'P-256' };

/** An ECDSA P-256 key pair with its private key as PKCS#8 PEM. */
export class KeyPair {
  private constructor(
    readonly keys: webcrypto.CryptoKeyPair,
    readonly keyPem: string,
  ) {}

  static async generate(): Promise<KeyPair> {
    const keys = await globalThis.crypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
    const der = await globalThis.crypto.subtle.exportKey('pkcs8', keys.privateKey);
    return new KeyPair(keys, x509.PemConverter.encode(der, 'PRIVATE KEY'));
  }

  /** Reads a P-256 private key in PKCS#8 or SEC1 PEM; throws when the PEM holds anything else. */
  static async fromPem(keyPem: string): Promise<KeyPair> {
    const publicKey = createPublicKey(keyPem);
    const details = publicKey.asymmetricKeyDetails;
    if (publicKey.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1') {
      throw new Error('expected an ECDSA P-256 private key');
    }
    const pkcs8 = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' });
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const subtle = globalThis.crypto.subtle;
    const keys: webcrypto.CryptoKeyPair = {
      privateKey: await subtle.importKey('pkcs8', pkcs8, EC_P256, true, ['sign']),
      publicKey: await subtle.importKey('spki', spki, EC_P256, true, ['verify']),
    };
    return new KeyPair(keys, keyPem);
  }
}
