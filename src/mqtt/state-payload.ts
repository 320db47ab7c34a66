// The retained `<prefix>/<printer>/state` document and the `<prefix>/<printer>/event` messages.
// Pure: a PrinterView (or an event) and the time in, JSON-ready objects out.
//
// Every key of the state is always present, `null` when unknown: Home Assistant's value templates
// (`{{ value_json.progress }}`) then read "unknown" instead of failing on a missing key.
import type { OctoslackEvent } from '../events/events.js';
import type { PrinterView } from '../notify/render/input.js';

export interface HeaterState {
  actual: number | null;
  target: number | null;
}

export interface StatePayload {
  printer: string;
  /** The status word people see: Operational, Printing, Paused, Offline, Error, … */
  status: string;
  statusDetail: string | null;
  /** The file being printed (base name). */
  file: string | null;
  origin: string | null;
  /** 0..100, one decimal. */
  progress: number | null;
  elapsedS: number | null;
  remainingS: number | null;
  /** When the print should end (ISO-8601, UTC), from the remaining time. */
  eta: string | null;
  layer: number | null;
  layerCount: number | null;
  /** Nozzle height, mm. */
  z: number | null;
  /** Per heater (`T0`, `B`, `C`, …), °C. */
  temperatures: Record<string, HeaterState>;
  firmware: string | null;
  updatedAt: string;
}

/** Statuses in which a print is under way (the state is refreshed on a timer then). */
const ACTIVE = new Set(['Printing', 'Paused', 'Pausing', 'Cancelling']);

export function isPrinting(view: PrinterView): boolean {
  return ACTIVE.has(view.status) && view.job !== undefined;
}

/** The printer's availability as Home Assistant should see it. */
export function isOnline(view: PrinterView): boolean {
  return view.status !== 'Offline';
}

const round = (v: number | undefined, digits: number): number | null => {
  if (v === undefined || !Number.isFinite(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

export function statePayload(view: PrinterView, now: number): StatePayload {
  const job = ACTIVE.has(view.status) ? view.job : undefined;
  const remaining = job?.remainingS !== undefined && Number.isFinite(job.remainingS) ? Math.max(0, Math.round(job.remainingS)) : null;
  const temperatures: Record<string, HeaterState> = {};
  for (const key of Object.keys(view.heaters).sort()) {
    const h = view.heaters[key]!;
    temperatures[key] = { actual: round(h.actual, 1), target: round(h.target, 1) };
  }
  return {
    printer: view.printerName,
    status: view.status,
    statusDetail: view.statusDetail ?? null,
    file: job?.file ?? null,
    origin: job?.origin ?? null,
    progress: round(job?.percent, 1),
    elapsedS: job ? Math.round(job.elapsedS) : null,
    remainingS: remaining,
    eta: remaining !== null && view.status === 'Printing' ? new Date(now + remaining * 1000).toISOString() : null,
    layer: job?.layer ?? null,
    layerCount: job?.layerCount ?? null,
    z: round(job?.z ?? view.z, 2),
    temperatures,
    firmware: view.firmware ?? null,
    updatedAt: new Date(now).toISOString(),
  };
}

/** The same document without its timestamp: two states that differ only in time are the same. */
export function stateSignature(p: StatePayload): string {
  const { updatedAt: _t, eta, ...rest } = p;
  // The ETA moves by a second or two between reports of the same remaining time; a minute is news.
  const etaMinute = eta ? eta.slice(0, 16) : null;
  return JSON.stringify({ ...rest, etaMinute });
}

/** Events that go to the event topic: all but the high-rate temperature reports (state has those). */
export function isPublishedEvent(e: OctoslackEvent): boolean {
  return e.event !== 'Temperature';
}

/** `{event, at: ISO, …fields}`, as `--json` writes events. */
export function eventPayload(e: OctoslackEvent): Record<string, unknown> {
  return { ...e, at: new Date(e.at).toISOString() };
}
