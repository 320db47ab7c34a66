// Quiet hours (parity §9): a nightly window, in the configured time zone, during which routine
// messages are posted silently or held back. Failures, errors and a printer that needs a person
// always break through: being woken is better than a ruined night print.
import type { Level, QuietHours } from '../../config/types.js';
import { minuteOfDay } from '../render/clock-format.js';
import type { RenderEvent } from '../render/input.js';

/** Events that are never silenced or held, whatever level the user gave them. */
export const BREAKS_THROUGH: ReadonlySet<RenderEvent> = new Set<RenderEvent>([
  'PrintFailed', 'Error', 'FilamentRunout', 'PausedForUser',
]);

/** "22:00" → minutes since midnight; undefined when malformed (config check reports it). */
export function parseClockTime(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : undefined;
}

/** Whether `epochMs` falls in the window [start, end); a window may cross midnight; start = end is none. */
export function inQuietHours(q: QuietHours | undefined, epochMs: number, timeZone?: string): boolean {
  if (!q) return false;
  const start = parseClockTime(q.start);
  const end = parseClockTime(q.end);
  if (start === undefined || end === undefined || start === end) return false;
  const m = minuteOfDay(epochMs, timeZone);
  return start < end ? m >= start && m < end : m >= start || m < end;
}

/** Only routine messages are affected by quiet hours. */
export function isQuietable(event: RenderEvent, level: Level): boolean {
  return level === 'routine' && !BREAKS_THROUGH.has(event);
}
