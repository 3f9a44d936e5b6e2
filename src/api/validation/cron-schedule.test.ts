import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cronScheduleError } from './cron-schedule.js';

const VALID = ['* * * * *', '*/5 * * * *', '0 0 1 1 *', '0 9-17 * * mon-fri', '15,45 */2 1-31/2 JAN,jul SUN', '@hourly', '@every 90s', '0 0 * * 0'];

test('standard schedules parse', () => {
  for (const schedule of VALID) assert.equal(cronScheduleError(schedule), undefined, schedule);
});

const INVALID: ReadonlyArray<readonly [string, string]> = [
  ['', 'empty spec string'],
  ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
  ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
  ['60 * * * *', 'end of range (60) above maximum (59): 60'],
  ['* 24 * * *', 'end of range (24) above maximum (23): 24'],
  ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
  ['* * * 13 *', 'end of range (13) above maximum (12): 13'],
  ['* * * * 7', 'end of range (7) above maximum (6): 7'],
  ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
  ['*/0 * * * *', 'step of range should be a positive number: */0'],
  ['a * * * *', 'failed to parse int from a: strconv.Atoi: parsing "a": invalid syntax'],
  ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
  ['1/2/3 * * * *', 'too many slashes: 1/2/3'],
  ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
];

test('malformed schedules report robfig/cron errors', () => {
  for (const [schedule, error] of INVALID) assert.equal(cronScheduleError(schedule), error, schedule);
});
