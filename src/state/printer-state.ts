// What octoslack knows about the printer, updated from received messages by a pure reducer.
// The session owns one PrinterState; notifications and the status line read snapshots of it.
import type { Heaters, MarlinMessage, Position } from '../marlin/messages.js';

export type ConnectionStatus = 'disconnected' | 'connecting' | 'connected' | 'error';
export type ActivityStatus = 'idle' | 'printing' | 'paused' | 'pausing' | 'cancelling' | 'sd-printing' | 'error';

export interface FirmwareInfo {
  name?: string;
  machine?: string;
  extruderCount?: number;
  fields: Record<string, string>;
}

export interface PrinterState {
  connection: ConnectionStatus;
  activity: ActivityStatus;
  firmware: FirmwareInfo;
  /** Capabilities from `Cap:` lines, by name. */
  capabilities: Record<string, boolean>;
  /** Whether the firmware answers `ok N.. P.. B..`. */
  advancedOk: boolean;
  heaters: Heaters;
  position: Position;
  /** The last fatal error (thermal runaway, kill) — the printer needs a reset. */
  fatalError?: string;
  /** SD print progress as the printer reports it. */
  sd?: { file?: string; done: number; total: number };
}

export function initialPrinterState(): PrinterState {
  return {
    connection: 'disconnected',
    activity: 'idle',
    firmware: { fields: {} },
    capabilities: {},
    advancedOk: false,
    heaters: {},
    position: {},
  };
}

/** Apply one received message to the state. Returns the same object when nothing changed. */
export function reduceMessage(state: PrinterState, msg: MarlinMessage): PrinterState {
  switch (msg.kind) {
    case 'ok': {
      let next = state;
      if (msg.temperature) next = { ...next, heaters: mergeHeaters(next.heaters, msg.temperature.heaters) };
      if (msg.position) next = { ...next, position: { ...next.position, ...msg.position } };
      return next;
    }
    case 'temperature':
      return { ...state, heaters: mergeHeaters(state.heaters, msg.report.heaters) };
    case 'position':
      return { ...state, position: { ...state.position, ...msg.position } };
    case 'firmware': {
      const fields = { ...state.firmware.fields, ...msg.fields };
      const count = Number(fields['EXTRUDER_COUNT']);
      return {
        ...state,
        firmware: {
          fields,
          name: fields['FIRMWARE_NAME'] ?? state.firmware.name,
          machine: fields['MACHINE_TYPE'] ?? state.firmware.machine,
          extruderCount: Number.isFinite(count) && count > 0 ? count : state.firmware.extruderCount,
        },
      };
    }
    case 'capability':
      return { ...state, capabilities: { ...state.capabilities, [msg.name]: msg.enabled } };
    case 'sdProgress':
      return { ...state, sd: { ...state.sd, done: msg.done, total: msg.total } };
    case 'error':
      // The first fatal error is the cause ("Thermal Runaway … Heater_ID: 0"); what follows it
      // ("Printer halted. kill() called!") is the consequence, and must not replace it.
      return msg.fatal ? { ...state, fatalError: state.fatalError ?? msg.message, activity: 'error' } : state;
    default:
      return state;
  }
}

function mergeHeaters(prev: Heaters, next: Heaters): Heaters {
  const out: Heaters = { ...prev };
  for (const [name, reading] of Object.entries(next)) out[name] = { ...prev[name], ...reading };
  return out;
}

/** Tool numbers the firmware has, for heater-off commands: from EXTRUDER_COUNT, else from reports. */
export function toolIndices(state: PrinterState): number[] {
  const fromReports = Object.keys(state.heaters)
    .map((k) => /^T(\d+)$/.exec(k))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
  const count = Math.max(state.firmware.extruderCount ?? 1, fromReports.length > 0 ? Math.max(...fromReports) + 1 : 1);
  return Array.from({ length: Math.min(count, 8) }, (_, i) => i);
}

export function hasCapability(state: PrinterState, name: string): boolean {
  return state.capabilities[name] === true;
}
