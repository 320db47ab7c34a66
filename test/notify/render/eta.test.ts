// ETA formats and fuzzy dates on fixed clocks in several IANA zones (no machine zone involved).
import { describe, expect, it } from 'vitest';
import { ETA_FORMATS, formatEta, fuzzyDate, minuteOfDay } from '../../../src/notify/render/clock-format.js';

// 2 Nov 2026 17:30 UTC: 18:30 in Berlin (CET), 12:30 in New York (EST), 02:30 on 3 Nov in Tokyo.
const NOW = Date.UTC(2026, 10, 2, 17, 30);
const H = 3_600_000;

describe('ETA formats (parity §4) in a fixed zone', () => {
  const eta = NOW + 15 * 60_000; // 18:45 Berlin
  it.each([
    ['HH:mm <fuzzy date>', '18:45 today'],
    ['hh:mm tt <fuzzy date>', '06:45 PM today'],
    ['yyyy-MM-dd HH:mm', '2026-11-02 18:45'],
    ['MM/dd/yyyy HH:mm', '11/02/2026 18:45'],
    ['dd/MM/yyyy HH:mm', '02/11/2026 18:45'],
    ['MM/dd/yyyy hh:mm tt', '11/02/2026 06:45 PM'],
    ['dd/MM/yyyy hh:mm tt', '02/11/2026 06:45 PM'],
  ])('%s → %s', (format, text) => expect(formatEta(eta, NOW, format, 'Europe/Berlin')).toBe(text));

  it('covers every offered format', () => expect(ETA_FORMATS).toHaveLength(7));

  it('an unknown format falls back to yyyy-MM-dd HH:mm', () => {
    expect(formatEta(eta, NOW, 'dddd HH:mm', 'Europe/Berlin')).toBe('2026-11-02 18:45');
  });
});

describe('fuzzy dates', () => {
  it.each([
    [0, 'today'],
    [6 * H, 'tomorrow'], // 00:30 on 3 Nov in Berlin
    [-19 * H, 'yesterday'],
    [40 * H, 'Nov 04'],
    [-3 * 24 * H, 'Oct 30'],
  ])('%d ms from now → %s (Berlin)', (delta, word) => expect(fuzzyDate(NOW + delta, NOW, 'Europe/Berlin')).toBe(word));

  it('the same instant is "today" in one zone and "tomorrow" in another', () => {
    const eta = NOW + 7 * H; // 00:30 UTC on 3 Nov
    expect(formatEta(eta, NOW, 'HH:mm <fuzzy date>', 'America/New_York')).toBe('19:30 today');
    expect(formatEta(eta, NOW, 'HH:mm <fuzzy date>', 'Europe/Berlin')).toBe('01:30 tomorrow');
    expect(formatEta(eta, NOW, 'HH:mm <fuzzy date>', 'Asia/Tokyo')).toBe('09:30 today');
  });

  it('12-hour clock: midnight is 12 AM, noon 12 PM', () => {
    const midnight = Date.UTC(2026, 10, 3, 0, 5);
    expect(formatEta(midnight, NOW, 'hh:mm tt <fuzzy date>', 'UTC')).toBe('12:05 AM tomorrow');
    expect(formatEta(Date.UTC(2026, 10, 2, 12, 0), NOW, 'hh:mm tt <fuzzy date>', 'UTC')).toBe('12:00 PM today');
  });

  it('across a DST change the wall clock follows the zone', () => {
    // 25 Oct 2026 01:00 UTC: Berlin switched from CEST (UTC+2) to CET (UTC+1) at 01:00 UTC.
    const before = Date.UTC(2026, 9, 25, 0, 30);
    expect(formatEta(before, before, 'HH:mm <fuzzy date>', 'Europe/Berlin')).toBe('02:30 today');
    expect(formatEta(before + H, before, 'HH:mm <fuzzy date>', 'Europe/Berlin')).toBe('02:30 today');
  });

  it('an unknown zone does not throw (config check reports it)', () => {
    expect(() => formatEta(NOW, NOW, 'HH:mm <fuzzy date>', 'Mars/Olympus_Mons')).not.toThrow();
  });
});

it('minute of day in a zone', () => {
  expect(minuteOfDay(NOW, 'Europe/Berlin')).toBe(18 * 60 + 30);
  expect(minuteOfDay(NOW, 'Asia/Tokyo')).toBe(2 * 60 + 30);
  expect(minuteOfDay(Date.UTC(2026, 10, 2, 0, 0), 'UTC')).toBe(0);
});
