import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findJsonSyntaxProblem } from './json-syntax.js';

const message = (text: string): string | undefined => findJsonSyntaxProblem(text)?.message;

describe('findJsonSyntaxProblem', () => {
  it('accepts valid JSON', () => {
    for (const ok of ['{}', '[]', ' {"a":[1,-2.5e+3,true,false,null,"x\\u00e9\\n"]} ', '0', '"s"']) {
      assert.equal(findJsonSyntaxProblem(ok), undefined, ok);
    }
  });

  it('words errors as Go encoding/json', () => {
    assert.equal(message(''), 'unexpected end of JSON input');
    assert.equal(message('{"a":1'), 'unexpected end of JSON input');
    assert.equal(message('{"a":"x'), 'unexpected end of JSON input');
    assert.equal(message('{"a":1,}'), "invalid character '}' looking for beginning of object key string");
    assert.equal(message('{a:1}'), "invalid character 'a' looking for beginning of object key string");
    assert.equal(message('{"a" 1}'), "invalid character '1' after object key");
    assert.equal(message('{"a":1 "b":2}'), 'invalid character \'"\' after object key:value pair');
    assert.equal(message('[1 2]'), "invalid character '2' after array element");
    assert.equal(message('[1,]'), "invalid character ']' looking for beginning of value");
    assert.equal(message('{} x'), "invalid character 'x' after top-level value");
    assert.equal(message('"a\tb"'), "invalid character '\\t' in string literal");
    assert.equal(message('"\\x"'), "invalid character 'x' in string escape code");
    assert.equal(message('"\\u12g4"'), "invalid character 'g' in \\u hexadecimal character escape");
    assert.equal(message('-a'), "invalid character 'a' in numeric literal");
    assert.equal(message('1.e3'), "invalid character 'e' after decimal point in numeric literal");
    assert.equal(message('1e+'), 'unexpected end of JSON input');
    assert.equal(message('[1ex]'), "invalid character 'x' in exponent of numeric literal");
    assert.equal(message('[01]'), "invalid character '1' after array element");
    assert.equal(message('tru'), 'unexpected end of JSON input');
    assert.equal(message('[nul]'), "invalid character ']' in literal null (expecting 'l')");
    assert.equal(message("'a'"), "invalid character '\\'' looking for beginning of value");
    assert.equal(message('\ufeff{}'), "invalid character 'ï' looking for beginning of value");
  });

  it('reports the offset', () => {
    assert.deepEqual(findJsonSyntaxProblem('{"a":1,}'), {
      message: "invalid character '}' looking for beginning of object key string",
      offset: 7,
    });
  });

  it('limits nesting to 10000 levels', () => {
    assert.equal(findJsonSyntaxProblem(`${'['.repeat(10000)}${']'.repeat(10000)}`), undefined);
    assert.deepEqual(findJsonSyntaxProblem(`${'['.repeat(10001)}${']'.repeat(10001)}`), {
      message: "invalid character '[' exceeded max depth",
      offset: 10000,
    });
  });
});
