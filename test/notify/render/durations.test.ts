// The three duration styles of parity §4, unit by unit.
import { describe, expect, it } from 'vitest';
import { formatDurationAs } from '../../../src/notify/render/durations.js';

describe('HUMAN durations (parity §4)', () => {
  it.each([
    [0, '0 seconds'],
    [1, '1 second'],
    [45, '45 seconds'],
    [60, '1 minute 0 seconds'],
    [125, '2 minutes 5 seconds'],
    [599, '9 minutes 59 seconds'],
    [600, '10 minutes'],
    [61 * 60 + 59, '1 hour 1 minute'],
    [7200, '2 hours 0 minutes'],
    [7500, '2 hours 5 minutes'],
    [86_400, '1 day 0 hours 0 minutes'],
    [90_060, '1 day 1 hour 1 minute'],
    [2 * 86_400 + 300, '2 days 0 hours 5 minutes'],
    [-5, '0 seconds'],
  ])('%d s → %s', (s, text) => expect(formatDurationAs(s, 'HUMAN')).toBe(text));
});

describe('FUZZY durations', () => {
  it.each([
    [0.2, 'a moment'],
    [1, 'a second'],
    [30, '30 seconds'],
    [75, 'a minute'],
    [150, '3 minutes'],
    [3600, 'an hour'],
    [4700, 'an hour'],
    [6600, '2 hours'],
    [23 * 3600 + 40 * 60, 'a day'],
    [3 * 86_400, '3 days'],
  ])('%d s → %s', (s, text) => expect(formatDurationAs(s, 'FUZZY')).toBe(text));
});

describe('EXACT durations', () => {
  it.each([
    [0, '00:00:00'],
    [59.6, '00:01:00'],
    [3725, '01:02:05'],
    [26 * 3600 + 5 * 60, '26:05:00'],
    [120 * 3600, '120:00:00'],
  ])('%d s → %s', (s, text) => expect(formatDurationAs(s, 'EXACT')).toBe(text));
});

it('a non-finite duration reads as zero rather than "NaN"', () => {
  expect(formatDurationAs(Number.NaN, 'HUMAN')).toBe('0 seconds');
  expect(formatDurationAs(Number.POSITIVE_INFINITY, 'EXACT')).toBe('00:00:00');
});
