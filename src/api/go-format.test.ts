import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goNumber, goQuote } from './go-format.js';

describe('goQuote', () => {
  it('quotes plain text as is', () => {
    assert.equal(goQuote('my-pod'), '"my-pod"');
    assert.equal(goQuote(''), '""');
  });

  it('escapes as strconv.Quote', () => {
    assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(goQuote('tab\there\nnl'), '"tab\\there\\nnl"');
    assert.equal(goQuote('\x01\x7f'), '"\\x01\\x7f"');
    assert.equal(goQuote('\x07\b\f\r\v'), '"\\a\\b\\f\\r\\v"');
    assert.equal(goQuote('héllo ✓'), '"héllo ✓"');
    assert.equal(goQuote('\u00a0\u200b'), '"\\u00a0\\u200b"');
    assert.equal(goQuote('😀'), '"😀"');
    assert.equal(goQuote('\u{e0001}'), '"\\U000e0001"');
  });
});

describe('goNumber', () => {
  it('prints like %v', () => {
    assert.equal(goNumber(42), '42');
    assert.equal(goNumber(-3), '-3');
    assert.equal(goNumber(1.5), '1.5');
    assert.equal(goNumber(0.0001), '0.0001');
    assert.equal(goNumber(0.00001), '1e-05');
    assert.equal(goNumber(1e21), '1e+21');
    assert.equal(goNumber(1.25e-7), '1.25e-07');
    assert.equal(goNumber(Infinity), '+Inf');
    assert.equal(goNumber(NaN), 'NaN');
  });
});
