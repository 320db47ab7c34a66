// Durations for `{elapsed_time}`, `{remaining_time}` and the body, in the three styles the old
// plugin offered (parity §4): HUMAN "2 hours 5 minutes", FUZZY "an hour", EXACT "26:05:00".
import type { FormatSettings } from '../../config/types.js';

export type TimeFormat = FormatSettings['timeFormat'];

export function formatDurationAs(seconds: number, style: TimeFormat): string {
  const s = Number.isFinite(seconds) ? Math.max(0, seconds) : 0;
  switch (style) {
    case 'EXACT':
      return exact(s);
    case 'FUZZY':
      return fuzzy(s);
    default:
      return human(s);
  }
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * Days, hours, minutes; after the first unit shown the smaller ones show even at zero
 * ("2 hours 0 minutes"); seconds only below 10 minutes, where they still matter.
 */
function human(seconds: number): string {
  const withSeconds = seconds < 600;
  // Below 10 min round to the second; above, whole minutes left are what people read.
  const total = withSeconds ? Math.round(seconds) : Math.floor(seconds);
  const units: [number, string][] = [
    [Math.floor(total / 86400), 'day'],
    [Math.floor((total % 86400) / 3600), 'hour'],
    [Math.floor((total % 3600) / 60), 'minute'],
  ];
  if (withSeconds) units.push([total % 60, 'second']);
  const first = units.findIndex(([n]) => n > 0);
  if (first === -1) return plural(0, withSeconds ? 'second' : 'minute');
  return units.slice(first).map(([n, unit]) => plural(n, unit)).join(' ');
}

/** A rough natural delta (Python humanize's words), rounded to the nearest whole unit. */
function fuzzy(seconds: number): string {
  const word = (n: number, one: string, unit: string) => (n === 1 ? one : `${n} ${unit}s`);
  if (seconds < 1) return 'a moment';
  const s = Math.round(seconds);
  if (s < 60) return word(s, 'a second', 'second');
  const m = Math.round(seconds / 60);
  if (m < 60) return word(m, 'a minute', 'minute');
  const h = Math.round(seconds / 3600);
  if (h < 24) return word(h, 'an hour', 'hour');
  const d = Math.round(seconds / 86400);
  return word(d, 'a day', 'day');
}

/** HH:MM:SS; hours may pass 24 (a 26-hour print is "26:05:00", not a date). */
function exact(seconds: number): string {
  const t = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(t / 3600))}:${pad(Math.floor((t % 3600) / 60))}:${pad(t % 60)}`;
}
