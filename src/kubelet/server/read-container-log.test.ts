import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readContainerLog, type LogOptions } from './read-container-log.js';

const base: LogOptions = { follow: false, timestamps: false };

async function read(path: string, opts: Partial<LogOptions>, stillRunning = async () => false): Promise<string> {
  let out = '';
  await readContainerLog(path, { ...base, ...opts }, { write: (t) => (out += t) }, stillRunning, new AbortController().signal);
  return out;
}

describe('readContainerLog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-log-'));
  const log = join(dir, '0.log');
  writeFileSync(
    log,
    [
      '2026-01-01T00:00:00.5Z stdout F one',
      '2026-01-01T00:00:01Z stderr P tw',
      '2026-01-01T00:00:01.25Z stderr F o',
      'not a CRI line',
      '2026-01-01T00:00:02.123456789Z stdout F three',
      '',
    ].join('\n'),
  );

  it('joins partial lines, and honours tailLines, sinceTime, timestamps and limitBytes', async () => {
    assert.equal(await read(log, {}), 'one\ntwo\nthree\n');
    assert.equal(await read(log, { tailLines: 2 }), 'two\nthree\n');
    assert.equal(await read(log, { tailLines: 0 }), '');
    assert.equal(await read(log, { sinceMs: Date.parse('2026-01-01T00:00:01Z') }), 'two\nthree\n');
    assert.equal(await read(log, { timestamps: true, tailLines: 1 }), '2026-01-01T00:00:02.123456789Z three\n');
    assert.equal(await read(log, { limitBytes: 6 }), 'one\ntw');
  });

  it('reads a log larger than its chunk with bounded memory, and follows until the container stops', async () => {
    const big = join(dir, 'big.log');
    const line = `2026-01-01T00:00:00Z stdout F ${'x'.repeat(1000)}\n`;
    writeFileSync(big, line.repeat(3000));
    const all = await read(big, {});
    assert.equal(all.length, 3000 * 1001);
    assert.equal(await read(big, { tailLines: 1 }), `${'x'.repeat(1000)}\n`);
    let polls = 0;
    const followed = await read(log, { follow: true, tailLines: 1 }, async () => {
      polls++;
      if (polls === 1) appendFileSync(log, '2026-01-01T00:00:03Z stdout F four\n');
      return polls < 2;
    });
    assert.equal(followed, 'three\nfour\n');
  });

  it('opens no symlink and serves nothing for a missing file', async () => {
    const secret = join(dir, 'secret');
    writeFileSync(secret, '2026-01-01T00:00:00Z stdout F secret\n');
    symlinkSync(secret, join(dir, 'link.log'));
    await assert.rejects(read(join(dir, 'link.log'), {}), { code: 'ELOOP' });
    assert.equal(await read(join(dir, 'none.log'), {}), '');
  });

  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
