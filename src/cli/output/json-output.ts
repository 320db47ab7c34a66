// `--json`: one event per line, `{"event":"PrintDone","at":"<ISO time>",…}`. Stable field names:
// scripts depend on them.
import type { EventBus } from '../../events/bus.js';
import type { OctoslackEvent } from '../../events/events.js';

/** `extra` goes first (a farm's `"printer"`), so the event's own fields keep their names. */
export function eventToJson(e: OctoslackEvent, extra: Record<string, string> = {}): string {
  return JSON.stringify({ ...extra, ...e, at: new Date(e.at).toISOString() });
}

export function attachJsonOutput(bus: EventBus, write: (s: string) => void, extra: Record<string, string> = {}): () => void {
  return bus.subscribe((e) => write(`${eventToJson(e, extra)}\n`));
}
