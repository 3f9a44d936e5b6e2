import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSchedule } from './cron-schedule.js';
import { formatRFC3339, fromWallTime } from './zoned-time.js';

const at = (iso: string) => Date.parse(iso);
const next = (schedule: string, from: string, tz = 'UTC') => {
  const t = parseSchedule(schedule, tz).next(at(from));
  return t === undefined ? undefined : new Date(t).toISOString();
};

describe('parseSchedule(…).next (robfig/cron SpecSchedule.Next)', () => {
  it('five fields: the next matching minute strictly after the time', () => {
    assert.equal(next('*/1 * * * *', '2024-05-01T10:00:30Z'), '2024-05-01T10:01:00.000Z');
    assert.equal(next('*/1 * * * *', '2024-05-01T10:01:00Z'), '2024-05-01T10:02:00.000Z');
    assert.equal(next('*/15 * * * *', '2024-05-01T10:16:00Z'), '2024-05-01T10:30:00.000Z');
    assert.equal(next('5 4 * * *', '2024-05-01T10:00:00Z'), '2024-05-02T04:05:00.000Z');
    assert.equal(next('0 0 1 jan *', '2024-05-01T10:00:00Z'), '2025-01-01T00:00:00.000Z');
    assert.equal(next('0 9-17/4 * * mon-fri', '2024-05-03T18:00:00Z'), '2024-05-06T09:00:00.000Z');
  });

  it('macros', () => {
    assert.equal(next('@hourly', '2024-05-01T10:20:00Z'), '2024-05-01T11:00:00.000Z');
    assert.equal(next('@daily', '2024-05-01T10:20:00Z'), '2024-05-02T00:00:00.000Z');
    assert.equal(next('@midnight', '2024-05-01T10:20:00Z'), '2024-05-02T00:00:00.000Z');
    assert.equal(next('@weekly', '2024-05-01T10:20:00Z'), '2024-05-05T00:00:00.000Z');
    assert.equal(next('@monthly', '2024-05-01T10:20:00Z'), '2024-06-01T00:00:00.000Z');
    assert.equal(next('@yearly', '2024-05-01T10:20:00Z'), '2025-01-01T00:00:00.000Z');
    assert.equal(next('@annually', '2024-05-01T10:20:00Z'), '2025-01-01T00:00:00.000Z');
    assert.equal(next('@every 90s', '2024-05-01T10:20:00.250Z'), '2024-05-01T10:21:30.000Z');
  });

  it('day of month and day of week: either matches unless one is *', () => {
    // 1st of the month or a Monday: Tuesday 2 Jan 2024 → Monday 8 Jan.
    assert.equal(next('0 0 1 * 1', '2024-01-02T00:00:00Z'), '2024-01-08T00:00:00.000Z');
    // Every Monday (dom *): 8 Jan.
    assert.equal(next('0 0 * * 1', '2024-01-02T00:00:00Z'), '2024-01-08T00:00:00.000Z');
    // 29 February: the next leap year.
    assert.equal(next('0 0 29 2 *', '2025-01-01T00:00:00Z'), '2028-02-29T00:00:00.000Z');
    // 31 February never comes: nothing within five years.
    assert.equal(next('0 0 31 2 *', '2025-01-01T00:00:00Z'), undefined);
  });

  it('reads the fields on the wall clock of timeZone (or a TZ= prefix)', () => {
    // 09:00 in Tokyo is 00:00Z; from exactly then, the next is a day later.
    assert.equal(next('0 9 * * *', '2024-05-01T00:00:00Z', 'Asia/Tokyo'), '2024-05-02T00:00:00.000Z');
    assert.equal(parseSchedule('TZ=Asia/Kolkata 30 9 * * *').next(at('2024-05-01T00:00:00Z')), at('2024-05-01T04:00:00Z'));
    assert.equal(parseSchedule('30 9 * * *', 'Asia/Kolkata').timeZone, 'Asia/Kolkata');
  });

  it('DST in America/New_York: a time in the spring-forward gap is skipped that day', () => {
    // 10 March 2024: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist.
    assert.equal(next('30 2 * * *', '2024-03-09T12:00:00Z', 'America/New_York'), '2024-03-11T06:30:00.000Z');
    // Hourly jobs run at 01:00 EST then 03:00 EDT, one hour apart in real time.
    assert.equal(next('0 * * * *', '2024-03-10T06:00:00Z', 'America/New_York'), '2024-03-10T07:00:00.000Z');
    // Midnight still comes at 00:00 local after the change: 04:00Z (EDT).
    assert.equal(next('0 0 * * *', '2024-03-10T05:00:00Z', 'America/New_York'), '2024-03-11T04:00:00.000Z');
  });

  it('DST in America/New_York: a time in the repeated fall-back hour runs in both (as robfig/cron does)', () => {
    // 3 November 2024: 02:00 EDT goes back to 01:00 EST.
    const first = next('30 1 * * *', '2024-11-03T04:00:00Z', 'America/New_York');
    assert.equal(first, '2024-11-03T05:30:00.000Z');
    assert.equal(next('30 1 * * *', first!, 'America/New_York'), '2024-11-03T06:30:00.000Z');
    assert.equal(next('0 12 * * *', '2024-11-02T17:00:00Z', 'America/New_York'), '2024-11-03T17:00:00.000Z');
  });

  it('Europe/London across the change to summer time', () => {
    assert.equal(next('0 1 * * *', '2024-03-30T12:00:00Z', 'Europe/London'), '2024-04-01T00:00:00.000Z');
  });

  it('throws the parser error for a bad schedule', () => {
    assert.throws(() => parseSchedule('61 * * * *'), /end of range \(61\) above maximum \(59\)/);
    assert.throws(() => parseSchedule('* * *'), /expected exactly 5 fields, found 3/);
  });
});

describe('zoned time', () => {
  it('fromWallTime resolves a gap forward by the earlier offset, as time.Date', () => {
    assert.equal(new Date(fromWallTime('America/New_York', 2024, 3, 10, 2, 30)).toISOString(), '2024-03-10T06:30:00.000Z');
    assert.equal(new Date(fromWallTime('Asia/Tokyo', 2024, 13, 1)).toISOString(), '2024-12-31T15:00:00.000Z');
  });

  it('formatRFC3339 writes the offset of the zone, Z for UTC', () => {
    assert.equal(formatRFC3339(at('2024-05-01T10:00:00Z'), 'UTC'), '2024-05-01T10:00:00Z');
    assert.equal(formatRFC3339(at('2024-05-01T10:00:00Z'), 'America/New_York'), '2024-05-01T06:00:00-04:00');
    assert.equal(formatRFC3339(at('2024-05-01T10:00:00Z'), 'Asia/Kolkata'), '2024-05-01T15:30:00+05:30');
  });
});
