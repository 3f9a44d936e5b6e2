import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeYaml, yamlDuplicatesError, YamlSyntaxError } from './strict-yaml.js';

describe('decodeYaml', () => {
  it('reads YAML 1.1 scalars like go-yaml v2', () => {
    const { value } = decodeYaml('a: yes\nb: off\nc: 0777\nd: 2001-12-14\ne: 1:20\nf: ~\ng: "yes"\nh: 1_000\n');
    assert.deepEqual(value, { a: true, b: false, c: 511, d: '2001-12-14', e: '1:20', f: null, g: 'yes', h: 1000 });
  });

  it('takes only the first document', () => {
    assert.deepEqual(decodeYaml('a: 1\n---\nb: 2\n').value, { a: 1 });
    assert.equal(decodeYaml('').value, null);
  });

  it('finds duplicate keys with their lines, keeping the last value', () => {
    const text = 'metadata:\n  name: a\n  labels:\n    x: "1"\n    x: "2"\n  name: b\nyes: 1\ntrue: 2\n';
    const { value, duplicates } = decodeYaml(text);
    assert.deepEqual(value, { metadata: { name: 'b', labels: { x: '2' } }, true: 2 });
    assert.deepEqual(duplicates, [
      { line: 5, key: '"x"', path: 'metadata.labels.x' },
      { line: 6, key: '"name"', path: 'metadata.name' },
      { line: 8, key: 'true', path: 'true' },
    ]);
    assert.equal(
      yamlDuplicatesError(duplicates),
      'yaml: unmarshal errors:\n  line 5: key "x" already set in map\n  line 6: key "name" already set in map\n  line 8: key true already set in map',
    );
  });

  it('orders duplicates as go-yaml: by where the value ends, at the value line', () => {
    const { duplicates } = decodeYaml('a:\n  b: 1\na:\n  c: 1\n  c: 2\nd: 1\n');
    assert.deepEqual(duplicates, [
      { line: 5, key: '"c"', path: 'a.c' },
      { line: 4, key: '"a"', path: 'a' },
    ]);
  });

  it('finds duplicates inside sequences', () => {
    const { duplicates } = decodeYaml('items:\n- a: 1\n  a: 2\n');
    assert.deepEqual(duplicates, [{ line: 3, key: '"a"', path: 'items[0].a' }]);
  });

  it('reports syntax errors with a line', () => {
    assert.throws(
      () => decodeYaml('a: [1,\nb: 2\n'),
      (err: unknown) => err instanceof YamlSyntaxError && /^yaml: line \d+: /.test(err.message) && err.line !== undefined,
    );
  });

  it('refuses flow nesting deeper than 10000 before parsing', () => {
    assert.throws(() => decodeYaml(`a: ${'['.repeat(100001)}`), { message: 'yaml: exceeded max depth of 10000' });
  });

  it('refuses alias bombs', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`);
    assert.throws(() => decodeYaml(bomb.join('\n')), YamlSyntaxError);
  });
});
