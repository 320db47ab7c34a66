// `--json`: one event per line, `{"event":"PrintDone","at":"<ISO time>",…}`. Stable field names:
// scripts depend on them.
import type { EventBus } from '../../events/bus.js';
import type { OctoslackEvent } from '../../events/events.js';

export function eventToJson(e: OctoslackEvent): string {
  return JSON.stringify({ ...e, at: new Date(e.at).toISOString() });
}

export function attachJsonOutput(bus: EventBus, write: (s: string) => void): () => void {
  return bus.subscribe((e) => write(`${eventToJson(e)}\n`));
}
