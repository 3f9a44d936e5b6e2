import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGoCsv } from './go-csv.js';

describe('parseGoCsv', () => {
  it('splits records and fields, skipping empty lines', () => {
    assert.deepEqual(parseGoCsv('a,b,c\n\n\r\nd,,f\n'), [['a', 'b', 'c'], ['d', '', 'f']]);
  });

  it('treats CRLF as LF and drops a final CR', () => {
    assert.deepEqual(parseGoCsv('a,b\r\nc,d\r'), [['a', 'b'], ['c', 'd']]);
  });

  it('keeps a trailing empty field', () => {
    assert.deepEqual(parseGoCsv('a,b,\n'), [['a', 'b', '']]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    assert.deepEqual(parseGoCsv('t,u,1,"g1,g2"\n"say ""hi""","two\nlines",x'), [
      ['t', 'u', '1', 'g1,g2'],
      ['say "hi"', 'two\nlines', 'x'],
    ]);
  });

  it('keeps spaces and does not know comments', () => {
    assert.deepEqual(parseGoCsv(' a , b\n# note\n'), [[' a ', ' b'], ['# note']]);
  });

  it('rejects stray quotes as Go does', () => {
    assert.throws(() => parseGoCsv('a,b"c\n'), /parse error on line 1: bare " in non-quoted-field/);
    assert.throws(() => parseGoCsv('ok\n"a"b,c\n'), /parse error on line 2: extraneous or missing " in quoted-field/);
    assert.throws(() => parseGoCsv('"open\nstill open'), /record on line 1; parse error on line 2: extraneous or missing "/);
  });
});
