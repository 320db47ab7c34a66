// Formatting for people: durations, temperatures, times of day.
import type { Heaters } from '../marlin/messages.js';

/** 3725 -> "1:02:05", 125 -> "2:05". */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0');
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Local time of day, "23:41". */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** "nozzle 210/215°C bed 60/60°C" from whatever heaters the printer reports. */
export function formatHeaters(heaters: Heaters): string {
  const names: [string, string][] = [['T0', 'nozzle'], ['T1', 'nozzle2'], ['B', 'bed'], ['C', 'chamber']];
  const parts: string[] = [];
  for (const [key, label] of names) {
    const h = heaters[key];
    if (!h) continue;
    parts.push(h.target !== undefined && h.target > 0 ? `${label} ${h.actual.toFixed(0)}/${h.target.toFixed(0)}°C` : `${label} ${h.actual.toFixed(0)}°C`);
  }
  return parts.join(' ');
}
