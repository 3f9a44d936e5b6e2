import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GENERATE_NAME_ALPHABET, generateName, MAX_GENERATED_NAME_LENGTH } from './generate-name.js';

describe('generateName', () => {
  it('appends five characters of the alphabet', () => {
    const values = [0, 0.5, 0.99999, 0.1, 0.25];
    let i = 0;
    const name = generateName('web-', { random: () => values[i++] ?? 0 });
    assert.equal(name, `web-b${GENERATE_NAME_ALPHABET[13]}9${GENERATE_NAME_ALPHABET[2]}${GENERATE_NAME_ALPHABET[6]}`);
  });

  it('truncates the base to 58 characters', () => {
    assert.equal(MAX_GENERATED_NAME_LENGTH, 58);
    const name = generateName('x'.repeat(100), { random: () => 0 });
    assert.equal(name, `${'x'.repeat(58)}bbbbb`);
    assert.equal(name.length, 63);
  });

  it('uses only the alphabet by default', () => {
    for (let n = 0; n < 50; n++) {
      const suffix = generateName('p-').slice(2);
      assert.match(suffix, /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    }
  });
});
